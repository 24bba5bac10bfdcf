/// <reference lib="webworker" />
// The decode floor: wllama's own token loop, timed inside a bare worker (no worker of ours, no
// stream to the page), so the bench can read the local route's tokens/s against what wllama alone does.
// The answer is asked twice and the second one timed: during the first, V8 is still tiering wllama's wasm up
// (Liftoff to TurboFan, over a second of CPU here), which is start-up, not decode.
import { parseChatRequest, type ChatRequestInput } from '@tandem/protocol'
import type { Wllama } from '@wllama/wllama'
import { loadWllama } from '../../workers/local/src/engines/wllama-load.ts'
import { toWllamaParams } from '../../workers/local/src/engines/wllama-request.ts'

export interface DecodeFloorMessage {
  shards: ArrayBuffer[]
  wasm: string
  threads: number
  request: ChatRequestInput
}

export interface DecodeFloorResult {
  /** Chunks with text, and ms from the first to the last of them. */
  contentChunks?: number
  decodeMs?: number
  error?: string
}

self.onmessage = async ({ data }: MessageEvent<DecodeFloorMessage>) => {
  const parsed = parseChatRequest({ ...data.request, stream: true })
  if (!parsed.ok) throw parsed.error
  let instance: Wllama | undefined
  let stage = 'load'
  try {
    instance = await loadWllama({ files: data.shards.map((bytes) => new Blob([bytes])), request: { backend: 'wasm', threads: data.threads }, wasm: data.wasm })
    let result: DecodeFloorResult = {}
    for (const round of ['warm-up', 'timed']) {
      stage = `${round} prompt`
      const stream = await instance.createChatCompletion({ ...toWllamaParams(parsed.value), stream: true } as Parameters<Wllama['createChatCompletion']>[0] & { stream: true })
      stage = `${round} decode`
      let contentChunks = 0
      let first = 0
      let last = 0
      for await (const chunk of stream as AsyncIterable<{ choices?: Array<{ delta?: { content?: string | null } }> }>) {
        if (!chunk.choices?.[0]?.delta?.content) continue
        last = performance.now()
        if (contentChunks++ === 0) first = last
      }
      result = { contentChunks, decodeMs: last - first }
    }
    self.postMessage(result)
  } catch (error) {
    self.postMessage({ error: `${stage}: ${String(error)}` } satisfies DecodeFloorResult)
  } finally {
    await instance?.exit()
  }
}

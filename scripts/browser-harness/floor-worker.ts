/// <reference lib="webworker" />
// The bench's floor, in a worker as the engine is: the same wllama load and the same request, from bytes in memory.
import { parseChatRequest, type ChatRequestInput } from '@tandem/protocol'
import type { Wllama } from '@wllama/wllama'
// Loads exactly as the engine does, so it reaches into the worker's sources.
import { loadWllama } from '../../workers/local/src/engines/wllama-load.ts'
import { toWllamaParams } from '../../workers/local/src/engines/wllama-request.ts'

export interface FloorMessage {
  shards: ArrayBuffer[]
  wasm: string
  request: ChatRequestInput
}

self.onmessage = async ({ data }: MessageEvent<FloorMessage>) => {
  const parsed = parseChatRequest({ ...data.request, stream: true })
  if (!parsed.ok) throw parsed.error
  const files = data.shards.map((bytes) => new Blob([bytes]))
  const started = performance.now()
  let instance: Wllama | undefined
  try {
    instance = await loadWllama({ files, request: { backend: 'wasm', threads: 1 }, wasm: data.wasm })
    const stream = await instance.createChatCompletion({ ...toWllamaParams(parsed.value), stream: true } as Parameters<Wllama['createChatCompletion']>[0] & { stream: true })
    for await (const _ of stream as AsyncIterable<unknown>) break
    self.postMessage({ ms: performance.now() - started })
  } catch (error) {
    self.postMessage({ error: String(error) })
  } finally {
    await instance?.exit()
  }
}

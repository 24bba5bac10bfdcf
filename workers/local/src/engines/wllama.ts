import { offeredTools } from '@tandem/models'
import { TandemError, assistantPrefix, type ChatRequest, type ChatStreamPart } from '@tandem/protocol'
import { Wllama, type ChatCompletionChunk as WllamaStreamChunk } from '@wllama/wllama'
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url'
import { cachedAssetUrl } from '../asset-cache.ts'
import type { EngineInfo, EngineLoad, LocalEngine } from '../engine.ts'
import { engineError } from '../engine-errors.ts'
import { measure, timed } from '../timeline.ts'
import { loadWllama } from './wllama-load.ts'
import { createChunkMapper, type WllamaChunk } from './wllama-chunks.ts'
import { toWllamaParams } from './wllama-request.ts'

/** The loaded instance, and the model id its chunks carry. */
interface WllamaState {
  wllama?: Wllama
  model: string
}

/** GGUF shards on llama.cpp compiled to wasm: WebGPU when asked, else the CPU path with pthreads when isolated. */
export function createWllamaEngine(): LocalEngine {
  const state: WllamaState = { model: '' }
  return {
    load: (job) => load(state, job),
    chat: (request, signal) => chat(state, request, signal),
    unload: () => unload(state),
  }
}

async function load(state: WllamaState, { request, shards, progress }: EngineLoad): Promise<EngineInfo> {
  // wllama's wasm comes from Cache Storage while the shards are read and hashed.
  const wasmFetch = timed('wasm fetch', () => cachedAssetUrl(wasmUrl, Wllama.getLibllamaVersion()))
  const files = await shards().catch(async (failure: unknown) => {
    const url = await wasmFetch.catch(() => '')
    if (url.startsWith('blob:')) URL.revokeObjectURL(url)
    throw failure
  })
  const wasm = await wasmFetch
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0)
  progress({ stage: 'load', fraction: 0, loadedBytes: 0, totalBytes, shardsDone: 0, shardsTotal: files.length, bytesPerSecond: 0 })
  let instance: Wllama
  try {
    instance = await loadWllama({ files, request, wasm })
  } catch (failure) {
    throw engineError('wllama', failure)
  } finally {
    if (wasm.startsWith('blob:')) URL.revokeObjectURL(wasm)
  }
  progress({ stage: 'load', fraction: 1, loadedBytes: totalBytes, totalBytes, shardsDone: files.length, shardsTotal: files.length, bytesPerSecond: 0 })
  state.wllama = instance
  state.model = request.model
  return { threads: instance.getNumThreads() }
}

async function* chat(state: WllamaState, request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamPart> {
  const { wllama, model } = state
  if (!wllama) {
    yield { type: 'error', error: new TandemError('model_not_loaded', 'no model is loaded in the local worker') }
    return
  }
  const mapper = createChunkMapper({
    id: `chatcmpl-local-${crypto.randomUUID()}`,
    created: Math.floor(Date.now() / 1000),
    model,
    newAnswer: assistantPrefix(request) === undefined,
    toolCalls: assistantPrefix(request) === undefined && offeredTools(request).length > 0,
  })
  try {
    // logit_bias goes as OpenAI's record; wllama's type also names llama.cpp's array form.
    const params = { ...toWllamaParams(request), stream: true as const, abortSignal: signal } as Parameters<Wllama['createChatCompletion']>[0] & { stream: true }
    let started = performance.now()
    const stream: AsyncIterable<WllamaStreamChunk> = await wllama.createChatCompletion(params)
    for await (const raw of stream) {
      if (started) {
        measure('prompt eval, first token', started)
        started = 0
      }
      const chunk = mapper.map(raw as WllamaChunk)
      if (chunk) yield { type: 'chunk', chunk }
    }
    if (request.stream_options?.include_usage) yield { type: 'chunk', chunk: mapper.usage() }
    yield { type: 'done' }
  } catch (failure) {
    yield { type: 'error', error: signal.aborted ? new TandemError('aborted', 'the request was aborted', { cause: failure }) : engineError('wllama', failure) }
  }
}

async function unload(state: WllamaState): Promise<void> {
  const instance = state.wllama
  state.wllama = undefined
  await instance?.exit()
}

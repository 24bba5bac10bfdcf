import type { ChatRequest, ChatStreamPart, LoadProgress, LoadRequest } from '@tandem/protocol'

/** What an engine gets to load a model: the request, and the shard store's verified files when it wants them. */
export interface EngineLoad {
  request: LoadRequest
  /** The variant's shards, downloaded if needed, as the bytes that were verified against the manifest: GGUF engines read these. */
  shards(): Promise<Blob[]>
  progress(progress: LoadProgress): void
}

export interface EngineInfo {
  /** Threads the engine really runs on (wasm); undefined on WebGPU. */
  threads?: number
}

/**
 * One way to run a model inside the worker. The runtime knows engines only through this; a new
 * engine is one file implementing it, plus one line in `engines/index.ts`.
 */
export interface LocalEngine {
  /** Throws a TandemError (`local_unavailable`, `quota`, `network`, …) when the model cannot run here. */
  load(load: EngineLoad): Promise<EngineInfo>
  /** The answer as parts: chunks, then exactly one `done` or one `error`. Never throws. */
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamPart>
  unload(): Promise<void>
}

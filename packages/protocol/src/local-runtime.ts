import { z } from 'zod'
import type { ChatRequest } from './chat-request.ts'
import type { ChatCompletionChunk } from './chat-response.ts'
import type { ChatStreamPart } from './chat-stream-part.ts'
import { TandemError, type TandemErrorEnvelope } from './errors.ts'

// The seam between a page and the on-device runtime in its Web Worker (reached through
// comlink). Structured clone keeps an Error's message but drops its code, so errors cross
// as envelopes and are rebuilt on arrival; methods never throw across the boundary.

/** A web-llm model record (the subset Tandem passes on): an MLC build and its compiled library. */
export const mlcRecordSchema = z.object({
  /** Base URL of the MLC build; web-llm appends `resolve/main/` unless the URL already has a `/resolve/<rev>/`. */
  model: z.url(),
  model_lib: z.url(),
  /** WebGPU features the build needs, e.g. `shader-f16` for q4f16 builds; checked before anything is fetched. */
  required_features: z.array(z.string()).optional(),
  /** web-llm's SRI checks (`sha256-…`) for the config, library and tokenizer files. */
  integrity: z
    .object({ config: z.string().optional(), model_lib: z.string().optional(), tokenizer: z.record(z.string(), z.string()).optional() })
    .optional(),
})
export type MlcRecord = z.infer<typeof mlcRecordSchema>

/** One variant of one model to load, from where, on which engine and backend. Parsed by the worker. */
export const loadRequestSchema = z
  .object({
    model: z.string().min(1),
    variant: z.string().min(1),
    /** `wllama` runs GGUF shards from a manifest; `web-llm` runs an MLC build on WebGPU. */
    engine: z.enum(['wllama', 'web-llm']).default('wllama'),
    /** The model's manifest (`@tandem/models`); shards sit beside it. Required for wllama. */
    manifestUrl: z.url().optional(),
    /** web-llm: a custom record; absent, `model` is looked up in web-llm's prebuilt list. */
    mlcRecord: mlcRecordSchema.optional(),
    backend: z.enum(['webgpu', 'wasm']),
    threads: z.number().int().positive().optional(),
    contextLength: z.number().int().positive().optional(),
  })
  .superRefine((request, ctx) => {
    if (request.engine === 'wllama' && !request.manifestUrl) {
      ctx.addIssue({ code: 'custom', path: ['manifestUrl'], message: 'wllama loads GGUF shards listed in a manifest: expected its URL' })
    }
  })
export type LoadRequest = z.infer<typeof loadRequestSchema>
export type LoadRequestInput = z.input<typeof loadRequestSchema>

export interface LoadProgress {
  stage: 'download' | 'verify' | 'load'
  /** 0 to 1 through this stage: the one figure every engine can give (web-llm reports no bytes). */
  fraction: number
  loadedBytes: number
  /** 0 when the engine does not say. */
  totalBytes: number
  shardsDone: number
  shardsTotal: number
  bytesPerSecond: number
}

export interface RuntimeStatus {
  state: 'idle' | 'loading' | 'ready' | 'generating'
  model?: string
  variant?: string
  engine?: LoadRequest['engine']
  backend?: 'webgpu' | 'wasm'
  /** Threads the wasm backend runs on (1 when the page is not cross-origin isolated). */
  threads?: number
}

export interface CachedModel {
  model: string
  variant: string
  bytes: number
  files: number
  /** Every shard the manifest lists is present; false while a download is partial. */
  complete: boolean
}

export type WireError = { error: TandemErrorEnvelope; status: number }
export type Outcome<T> = ({ ok: true; value: T }) | ({ ok: false } & WireError)
export type WireChatPart = { type: 'chunk'; chunk: ChatCompletionChunk } | { type: 'done' } | ({ type: 'error' } & WireError)

/** The on-device runtime as the page sees it: one interface, whichever engine runs in the worker. */
export interface LocalRuntime {
  load(request: LoadRequestInput, onProgress?: (progress: LoadProgress) => void): Promise<Outcome<RuntimeStatus>>
  /**
   * A transferred stream of the answer, its parts in batches: each batch is one message across the
   * worker boundary, at most one per frame (`Coalescer`), the first part and the end at once.
   * Cancelling it stops generation.
   */
  chat(request: ChatRequest): Promise<ReadableStream<WireChatPart[]>>
  unload(): Promise<void>
  status(): Promise<RuntimeStatus>
  cached(): Promise<Outcome<CachedModel[]>>
  deleteCached(model: string, variant?: string): Promise<Outcome<void>>
  /**
   * Holds the Web Lock `name` for the worker's lifetime. A terminated or crashed worker's
   * streams just stall, but its locks are released: the page learns of the death at once.
   */
  holdLock(name: string): Promise<void>
}

export function toWireError(error: TandemError): WireError {
  return { error: error.toEnvelope(), status: error.status }
}

export function fromWireError({ error, status }: WireError): TandemError {
  return TandemError.fromEnvelope(error, status)
}

export function toWirePart(part: ChatStreamPart): WireChatPart {
  return part.type === 'error' ? { type: 'error', ...toWireError(part.error) } : part
}

export function fromWirePart(part: WireChatPart): ChatStreamPart {
  return part.type === 'error' ? { type: 'error', error: fromWireError(part) } : part
}

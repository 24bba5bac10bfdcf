import { z } from 'zod'
import type { ChatRequest } from './chat-request.ts'
import type { ChatCompletionChunk } from './chat-response.ts'
import type { ChatStreamPart } from './chat-stream-part.ts'
import { TandemError, type TandemErrorEnvelope } from './errors.ts'

// The seam between a page and the on-device runtime in its Web Worker (reached through
// comlink). Structured clone keeps an Error's message but drops its code, so errors cross
// as envelopes and are rebuilt on arrival; methods never throw across the boundary.

/** One variant of one model to load, from where, on which backend. Parsed by the worker. */
export const loadRequestSchema = z.object({
  model: z.string().min(1),
  variant: z.string().min(1),
  /** The model's manifest (`@tandem/models`); shards sit beside it. */
  manifestUrl: z.url(),
  backend: z.enum(['webgpu', 'wasm']),
  threads: z.number().int().positive().optional(),
  contextLength: z.number().int().positive().optional(),
})
export type LoadRequest = z.infer<typeof loadRequestSchema>

export interface LoadProgress {
  stage: 'download' | 'verify' | 'load'
  loadedBytes: number
  totalBytes: number
  shardsDone: number
  shardsTotal: number
  bytesPerSecond: number
}

export interface RuntimeStatus {
  state: 'idle' | 'loading' | 'ready' | 'generating'
  model?: string
  variant?: string
  backend?: 'webgpu' | 'wasm'
}

export interface CachedModel {
  model: string
  variant: string
  bytes: number
  files: number
}

export type WireError = { error: TandemErrorEnvelope; status: number }
export type Outcome<T> = ({ ok: true; value: T }) | ({ ok: false } & WireError)
export type WireChatPart = { type: 'chunk'; chunk: ChatCompletionChunk } | { type: 'done' } | ({ type: 'error' } & WireError)

/** The on-device runtime as the page sees it: one interface, whichever engine runs in the worker. */
export interface LocalRuntime {
  load(request: LoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<Outcome<RuntimeStatus>>
  /** A transferred stream of the answer; cancelling it stops generation. */
  chat(request: ChatRequest): Promise<ReadableStream<WireChatPart>>
  unload(): Promise<void>
  status(): Promise<RuntimeStatus>
  cached(): Promise<CachedModel[]>
  deleteCached(model: string, variant?: string): Promise<void>
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

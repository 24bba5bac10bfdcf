import type { ChatCompletionChunk, ChatRequest, PromptBound } from '@tandem/protocol'

/** A model as `GET /v1/models` lists it. */
export interface ServedModel {
  id: string
  /** Unix seconds. */
  created: number
  ownedBy: string
  /** Tokens per sequence, prompt and completion together, when known: `max_model_len`, as vLLM says it. */
  maxModelLen?: number | undefined
  /** How to bound a prompt's tokens from below without the tokenizer, when the engine knows it. */
  promptBound?: PromptBound | undefined
}

export interface EngineStats {
  /** Models loaded, or an upstream reachable. */
  ready: boolean
  /** Requests generating now. */
  active: number
  /** Requests waiting for a slot. */
  queued: number
  /** True when one more request would be refused with 429. */
  full: boolean
  /** Decode steps so far, and sequences decoded in them (engines that batch steps themselves). */
  decodeSteps?: number
  decodeStepSequences?: number
}

/** What the server gives a generation besides the request. */
export interface GenerationContext {
  /** The completion id every chunk carries. */
  id: string
  /** Unix seconds, the same in every chunk. */
  created: number
  /** Aborts when the client goes away or the server cuts the stream. */
  signal: AbortSignal
}

/**
 * A backend that turns chat requests into chunks: node-llama-cpp in this process, or an
 * OpenAI-compatible engine upstream. The server owns HTTP, validation, limits and metrics;
 * an engine owns its capacity (slots and queue) and its models.
 */
export interface Engine {
  readonly name: string
  /** Loads models, or waits for the upstream; the server is not ready until it resolves. */
  load(): Promise<void>
  /** The model ids clients may ask for; empty until loaded. */
  models(): readonly ServedModel[]
  /**
   * The ids it is configured to serve, loaded or not: a request for one of them that is not loaded
   * yet is told to retry (503), never that the model does not exist. Undefined while only loading
   * can tell (an upstream's own ids).
   */
  configuredModels(): readonly string[] | undefined
  stats(): EngineStats
  /**
   * Admits one request (waiting in the queue if need be) and starts generating. Rejects with a
   * `TandemError` before any chunk when the request cannot run: queue full, prompt too long, a
   * feature the model lacks. The chunks end with one that carries `usage` and no choices.
   * Leaving the iteration early, or aborting `context.signal`, stops generation and frees the slot.
   */
  generate(request: ChatRequest, context: GenerationContext): Promise<AsyncIterable<ChatCompletionChunk>>
  /** Refuses new requests from now on (shutting down); running ones go on. */
  drain(): void
  /** Frees models, contexts and child processes. Running generations end with an error. */
  close(): Promise<void>
}

import { TandemError, collectCompletion, encodeChatStream, type ChatCompletion, type ChatCompletionChunk, type ChatStreamPart } from '@tandem/protocol'
import type { Plan } from './plan/planner.ts'
import type { Route } from './transport.ts'

/**
 * A streamed answer: iterate it for OpenAI-shaped chunks. It says which route it took and
 * why, and stops generating (on the device or the server) when aborted or left early.
 */
export class ChatStream implements AsyncIterable<ChatCompletionChunk> {
  #parts: AsyncIterable<ChatStreamPart>
  #controller: AbortController
  #consumed = false
  #route: Route
  readonly plan: Plan

  constructor(parts: AsyncIterable<ChatStreamPart>, route: Route, plan: Plan, controller: AbortController) {
    this.#parts = parts
    this.#route = route
    this.plan = plan
    this.#controller = controller
  }

  /** Stops the answer: the request is cancelled and iteration ends with an `aborted` error. */
  abort(): void {
    this.#controller.abort()
  }

  /** The route answering now: an answer that fails over midway starts `local` and ends `remote`. */
  get route(): Route {
    return this.#route
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#consumed) throw new TandemError('invalid_request', 'a ChatStream can be iterated once')
    this.#consumed = true
    let finished = false
    try {
      for await (const part of this.#parts) {
        if (part.type === 'chunk') {
          if (part.chunk.tandem) this.#route = part.chunk.tandem.route
          yield part.chunk
        }
        else if (part.type === 'error') throw this.signal.aborted ? new TandemError('aborted', 'the request was aborted', { cause: part.error }) : part.error
        else {
          finished = true
          return
        }
      }
      if (this.signal.aborted) throw new TandemError('aborted', 'the request was aborted')
    } finally {
      // Leaving the loop early (break, throw) must stop generation, not just stop reading.
      if (!finished) this.#controller.abort()
    }
  }

  /** The answer as SSE bytes, ready to return from an edge function: `new Response(stream.toReadableStream())`. */
  toReadableStream(): ReadableStream<Uint8Array> {
    return encodeChatStream(this)
  }

  /** Reads the rest of the stream and returns it as one ChatCompletion. */
  async finalCompletion(): Promise<ChatCompletion> {
    return collectCompletion(this)
  }
}

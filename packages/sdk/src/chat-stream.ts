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
  #finished = false
  /** The chunks yielded so far, so the answer can be assembled after a loop that read it. */
  #chunks: ChatCompletionChunk[] = []
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
    try {
      for await (const part of this.#parts) {
        if (part.type === 'chunk') {
          if (part.chunk.tandem) this.#route = part.chunk.tandem.route
          this.#chunks.push(part.chunk)
          yield part.chunk
        }
        else if (part.type === 'error') throw this.signal.aborted ? new TandemError('aborted', 'the request was aborted', { cause: part.error }) : part.error
        else {
          this.#finished = true
          return
        }
      }
      if (this.signal.aborted) throw new TandemError('aborted', 'the request was aborted')
    } finally {
      // Leaving the loop early (break, throw) must stop generation, not just stop reading.
      if (!this.#finished) this.#controller.abort()
    }
  }

  /** The answer as SSE bytes, ready to return from an edge function: `new Response(stream.toReadableStream())`. */
  toReadableStream(): ReadableStream<Uint8Array> {
    return encodeChatStream(this)
  }

  /**
   * The whole answer as one ChatCompletion (text, tool calls, finish reason, usage): reads the stream,
   * or, after a `for await` loop has read it to its end, joins the chunks that loop saw.
   */
  async finalCompletion(): Promise<ChatCompletion> {
    if (!this.#consumed) for await (const chunk of this) void chunk
    else if (!this.#finished) throw new TandemError('invalid_request', 'the stream has not been read to its end')
    return collectCompletion(this.#chunks)
  }
}

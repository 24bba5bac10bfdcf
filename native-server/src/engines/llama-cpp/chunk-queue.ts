import { appendDelta, type AnswerDelta } from '@tandem/models'
import { Coalescer, type ChatCompletionChunk, type FinishReason, type Usage } from '@tandem/protocol'
import { chunkMaker, type Timings } from './chunks.ts'

/**
 * Between a generation and its reader: the generation pushes deltas (text, tool-call pieces) and
 * never waits; the reader gets everything pushed since its last read as one chunk, at most one per
 * `intervalMs` (the first text and the end at once), by the rule of `Coalescer` (`@tandem/protocol`),
 * which the local worker follows across its boundary too. Readers are woken after the
 * generation's next decode has started, so the HTTP work overlaps the model's.
 */
export class ChunkQueue implements AsyncIterable<ChatCompletionChunk> {
  readonly #chunks: ReturnType<typeof chunkMaker>
  readonly #onLeave: () => void
  readonly #timings: { promptTokens: number } | undefined
  readonly #deltas: Coalescer<AnswerDelta>
  #ending: { finishReason: FinishReason; usage: Usage } | undefined
  #completionTokens = 0

  /**
   * `onLeave` runs when the reader stops before the end. With `timings` (the request asked for
   * `timings_per_token`), each chunk carries the tokens generated up to its text, so whoever relays
   * a stream that stops early knows what it delivered: a chunk here is many tokens.
   */
  constructor(
    identity: Parameters<typeof chunkMaker>[0],
    onLeave: () => void,
    intervalMs = 0,
    timings?: { promptTokens: number },
  ) {
    this.#onLeave = onLeave
    this.#timings = timings
    this.#chunks = chunkMaker(identity)
    // Two turns: node-llama-cpp dispatches the next decode from a setImmediate queued after a push.
    this.#deltas = new Coalescer({ intervalMs, defer: (wake) => setImmediate(() => setImmediate(wake)) })
  }

  /** `completionTokens`: generated so far, this delta's tokens included. */
  push(delta: AnswerDelta, completionTokens = this.#completionTokens): void {
    this.#completionTokens = completionTokens
    this.#deltas.push(delta)
  }

  finish(finishReason: FinishReason, usage: Usage): void {
    this.#ending ??= { finishReason, usage }
    this.#deltas.end()
  }

  fail(error: unknown): void {
    this.#deltas.fail(error)
  }

  #timingsNow(completionTokens = this.#completionTokens): Timings | undefined {
    return this.#timings && { prompt_n: this.#timings.promptTokens, predicted_n: completionTokens }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    let done = false
    try {
      for await (const batch of this.#deltas) {
        const delta: AnswerDelta = {}
        for (const more of batch) appendDelta(delta, more)
        if (delta.content !== undefined || delta.tool_calls !== undefined) yield this.#chunks.delta(delta, this.#timingsNow())
      }
      done = true
      const ending = this.#ending!
      yield this.#chunks.finish(ending.finishReason, this.#timingsNow(ending.usage.completion_tokens))
      yield this.#chunks.usage(ending.usage)
    } catch (error) {
      done = true
      throw error
    } finally {
      if (!done) this.#onLeave()
    }
  }
}

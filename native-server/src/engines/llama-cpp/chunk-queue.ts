import { appendDelta, type AnswerDelta } from '@tandem/models'
import type { ChatCompletionChunk, FinishReason, Usage } from '@tandem/protocol'
import { chunkMaker, type Timings } from './chunks.ts'

type Ending = { finishReason: FinishReason; usage: Usage } | { error: unknown }

/**
 * Between a generation and its reader. The generation pushes deltas (text, tool-call pieces) and
 * never waits; the reader gets everything pushed since its last read as one chunk, so a reader that falls behind (a slow
 * client, a busy core) catches up in fewer, larger chunks instead of one per token. A reader is
 * woken at most once per `intervalMs` (the first text and the end at once): a display shows no
 * more than a frame per ~16 ms anyway, and on a fast model a chunk per token makes the HTTP path
 * and the client compete with decoding for the CPU. Readers are woken after the generation's next
 * decode has started, so the HTTP work overlaps the model's.
 */
export class ChunkQueue implements AsyncIterable<ChatCompletionChunk> {
  readonly #chunks: ReturnType<typeof chunkMaker>
  readonly #onLeave: () => void
  readonly #intervalMs: number
  readonly #timings: { promptTokens: number } | undefined
  #pending: AnswerDelta = {}
  #ending: Ending | undefined
  #wake: (() => void) | undefined
  #wakeScheduled = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #lastReadAt = -Infinity
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
    this.#intervalMs = intervalMs
    this.#timings = timings
    this.#chunks = chunkMaker(identity)
  }

  /** `completionTokens`: generated so far, this delta's tokens included. */
  push(delta: AnswerDelta, completionTokens = this.#completionTokens): void {
    appendDelta(this.#pending, delta)
    this.#completionTokens = completionTokens
    this.#schedule()
  }

  #timingsNow(completionTokens = this.#completionTokens): Timings | undefined {
    return this.#timings && { prompt_n: this.#timings.promptTokens, predicted_n: completionTokens }
  }

  finish(finishReason: FinishReason, usage: Usage): void {
    this.#ending ??= { finishReason, usage }
    this.#schedule()
  }

  fail(error: unknown): void {
    this.#ending ??= { error }
    this.#schedule()
  }

  #schedule(): void {
    if (this.#ending && this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
      this.#wakeScheduled = false
    }
    if (this.#wakeScheduled || !this.#wake) return
    this.#wakeScheduled = true
    const wait = this.#ending ? 0 : this.#lastReadAt + this.#intervalMs - performance.now()
    if (wait > 0) {
      this.#timer = setTimeout(() => this.#wakeReader(), wait)
      return
    }
    // Two turns: node-llama-cpp dispatches the next decode from a setImmediate queued after this
    // push; the reader's HTTP work should start once that decode runs, not before it.
    setImmediate(() => setImmediate(() => this.#wakeReader()))
  }

  #empty(): boolean {
    return this.#pending.content === undefined && this.#pending.tool_calls === undefined
  }

  #wakeReader(): void {
    this.#timer = undefined
    this.#wakeScheduled = false
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    let done = false
    try {
      for (;;) {
        const early = performance.now() < this.#lastReadAt + this.#intervalMs
        if (!this.#ending && (this.#empty() || early)) {
          const woken = new Promise<void>((resolve) => (this.#wake = resolve))
          if (!this.#empty()) this.#schedule()
          await woken
        }
        if (!this.#empty()) {
          const delta = this.#pending
          this.#pending = {}
          this.#lastReadAt = performance.now()
          yield this.#chunks.delta(delta, this.#timingsNow())
          continue
        }
        const ending = this.#ending!
        done = true
        if ('error' in ending) throw ending.error
        yield this.#chunks.finish(ending.finishReason, this.#timingsNow(ending.usage.completion_tokens))
        yield this.#chunks.usage(ending.usage)
        return
      }
    } finally {
      clearTimeout(this.#timer)
      if (!done) this.#onLeave()
    }
  }
}

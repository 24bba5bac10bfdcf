/** A display frame at 60 Hz: text that arrives more often than this is not seen any sooner. */
export const FRAME_MS = 16

export interface CoalescerOptions {
  /** The reader is woken at most once per this many ms, except for the first item and the end. 0: at every push. */
  intervalMs?: number
  /**
   * How a due wake runs. The default, a macrotask, lets the items of one burst travel together;
   * native-server waits until its next decode has started, so the reader's work overlaps it.
   */
  defer?: (wake: () => void) => void
}

const macrotask = (wake: () => void) => void setTimeout(wake, 0)

/**
 * Between a producer that never waits and a reader on the far side of a costly boundary (an HTTP
 * response, a worker's messages). The reader gets everything pushed since its last read as one
 * batch, so a reader that falls behind catches up in fewer, larger batches; it is woken at most once
 * per `intervalMs`, but the first item and the end go at once. On a fast model a message per token
 * makes the boundary compete with decoding for the CPU.
 */
export class Coalescer<T> implements AsyncIterable<T[]> {
  readonly #intervalMs: number
  readonly #defer: (wake: () => void) => void
  #pending: T[] = []
  #ending: { error?: unknown; failed: boolean } | undefined
  #wake: (() => void) | undefined
  #wakeScheduled = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #lastReadAt = -Infinity

  constructor({ intervalMs = FRAME_MS, defer = macrotask }: CoalescerOptions = {}) {
    this.#intervalMs = intervalMs
    this.#defer = defer
  }

  push(item: T): void {
    this.#pending.push(item)
    this.#schedule()
  }

  /** No more items: the reader gets what is pending, then its loop ends. */
  end(): void {
    this.#ending ??= { failed: false }
    this.#schedule()
  }

  /** The reader gets what is pending, then `error` is thrown to it. */
  fail(error: unknown): void {
    this.#ending ??= { failed: true, error }
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
    if (wait > 0) this.#timer = setTimeout(() => this.#wakeReader(), wait)
    else this.#defer(() => this.#wakeReader())
  }

  #wakeReader(): void {
    this.#timer = undefined
    this.#wakeScheduled = false
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T[], void, undefined> {
    try {
      for (;;) {
        const early = performance.now() < this.#lastReadAt + this.#intervalMs
        if (!this.#ending && (this.#pending.length === 0 || early)) {
          const woken = new Promise<void>((resolve) => (this.#wake = resolve))
          if (this.#pending.length > 0) this.#schedule()
          await woken
        }
        if (this.#pending.length > 0) {
          const batch = this.#pending
          this.#pending = []
          this.#lastReadAt = performance.now()
          yield batch
          continue
        }
        if (!this.#ending) continue
        if (this.#ending.failed) throw this.#ending.error
        return
      }
    } finally {
      clearTimeout(this.#timer)
    }
  }
}

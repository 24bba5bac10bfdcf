/**
 * Keeps the sequences of one context decoding in step, so that llama.cpp gets every sequence's
 * next token in one batch. node-llama-cpp batches whatever is queued when it dispatches; left to
 * themselves, sequences that started at different times fall out of phase and take turns, one
 * sequence per decode. Each generating sequence waits here before its next step, and all go
 * together once every member is waiting.
 */
export class StepGate {
  #members = 0
  #waiting: Array<() => void> = []
  /** Steps taken, and sequences stepped in all of them: their ratio is the mean batch. */
  steps = 0
  sequencesStepped = 0

  /** A sequence starts generating. */
  join(): GateMember {
    this.#members++
    let left = false
    return {
      step: () => {
        if (left) return Promise.resolve()
        const ready = new Promise<void>((resolve) => this.#waiting.push(resolve))
        this.#releaseIfAllWaiting()
        return ready
      },
      leave: () => {
        if (left) return
        left = true
        this.#members--
        this.#releaseIfAllWaiting()
      },
    }
  }

  get size(): number {
    return this.#members
  }

  #releaseIfAllWaiting(): void {
    if (this.#waiting.length === 0 || this.#waiting.length < this.#members) return
    const go = this.#waiting
    this.#waiting = []
    this.steps++
    this.sequencesStepped += go.length
    for (const resolve of go) resolve()
  }
}

export interface GateMember {
  /** Resolves when every member is ready for its next step. */
  step(): Promise<void>
  /** The sequence stopped generating; the others no longer wait for it. */
  leave(): void
}

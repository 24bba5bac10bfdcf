/**
 * Finds stop sequences in streamed text. Text that could be the start of a stop sequence is held
 * back until the next piece tells; text from the stop on is never released.
 */
export class StopMatcher {
  readonly #stops: string[]
  #held = ''

  constructor(stops: readonly string[]) {
    this.#stops = stops.filter((stop) => stop.length > 0)
  }

  /** The text now safe to release, and whether a stop sequence ended the text. */
  push(text: string): { text: string; stopped: boolean } {
    const buffer = this.#held + text
    // The first stop to complete wins, as it would if text came one character at a time: where
    // text arrives in tokens must not change the answer. Ties go to the one that started first.
    let cut = -1
    let end = Infinity
    for (const stop of this.#stops) {
      const at = buffer.indexOf(stop)
      if (at < 0) continue
      if (at + stop.length < end || (at + stop.length === end && at < cut)) {
        end = at + stop.length
        cut = at
      }
    }
    if (cut >= 0) {
      this.#held = ''
      return { text: buffer.slice(0, cut), stopped: true }
    }
    const keep = this.#partialStopLength(buffer)
    this.#held = buffer.slice(buffer.length - keep)
    return { text: buffer.slice(0, buffer.length - keep), stopped: false }
  }

  /** What was held back, released when generation ends for another reason. */
  end(): string {
    const rest = this.#held
    this.#held = ''
    return rest
  }

  /** The longest end of `buffer` that begins some stop sequence. */
  #partialStopLength(buffer: string): number {
    let longest = 0
    for (const stop of this.#stops) {
      for (let length = Math.min(stop.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length
          break
        }
      }
    }
    return longest
  }
}

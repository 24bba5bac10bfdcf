const LF = 0x0a
const CR = 0x0d

/**
 * Finds where SSE events end in a byte stream (a blank line, with LF, CRLF or CR line
 * endings) without decoding it, so complete events pass through as the very bytes the
 * upstream sent and an unfinished one is never forwarded: an error appended after it
 * then starts on an event boundary.
 */
export class SseEventCutter {
  #atLineStart = true
  #afterCR = false

  /** The end offsets (exclusive) of the events that `bytes` completes. State carries across calls. */
  cut(bytes: Uint8Array): number[] {
    const ends: number[] = []
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!
      if (byte === LF && this.#afterCR) {
        // The LF of a CRLF whose CR already ended the line.
        this.#afterCR = false
        if (ends.at(-1) === i) ends[ends.length - 1] = i + 1
        continue
      }
      this.#afterCR = byte === CR
      if (byte === LF || byte === CR) {
        if (this.#atLineStart) ends.push(i + 1)
        this.#atLineStart = true
      } else {
        this.#atLineStart = false
      }
    }
    return ends
  }
}

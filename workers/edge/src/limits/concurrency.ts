import { TandemError } from '@tandem/protocol'
import { limitWindows, type Principal } from '../auth/index.ts'

/** What a refused client is told to wait: a stream's end cannot be foreseen. */
export const CONCURRENCY_RETRY_SECONDS = 1

/**
 * Chat completions in flight per principal, in this gateway instance: a key's own with all its
 * tokens', and each token subject's. A request takes a place in every window of its principal or
 * in none; the place is given back once, whichever way the request ends (see `chat-completions.ts`).
 */
export class ConcurrencyLimiter {
  readonly #inFlight = new Map<string, number>()

  /** Takes a place, or throws 429 naming the window that is full. Call the returned function (once is enough) when the request is over. */
  acquire(principal: Principal): () => void {
    const windows = limitWindows(principal)
    const full = windows.find(({ limitKey, limits }) => (this.#inFlight.get(limitKey) ?? 0) >= limits.concurrent)
    if (full !== undefined) {
      const whose = full.limitKey === principal.limitKey ? (principal.kind === 'token' ? 'this token’s subject' : 'this key') : 'all the tokens of this key'
      throw new TandemError(
        'rate_limited',
        `too many requests at once: ${whose} may have ${full.limits.concurrent} chat completions running (a stream counts until it ends); try again when one has ended`,
      )
    }
    for (const { limitKey } of windows) this.#inFlight.set(limitKey, (this.#inFlight.get(limitKey) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      for (const { limitKey } of windows) {
        const left = (this.#inFlight.get(limitKey) ?? 1) - 1
        if (left > 0) this.#inFlight.set(limitKey, left)
        else this.#inFlight.delete(limitKey)
      }
    }
  }

  /** In flight for a limit key now: for tests and logs. */
  inFlight(limitKey: string): number {
    return this.#inFlight.get(limitKey) ?? 0
  }
}

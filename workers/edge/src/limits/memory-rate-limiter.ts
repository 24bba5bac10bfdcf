import type { RateLimits } from '../config/index.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { SlidingWindow, type Cost, type RateDecision } from './sliding-window.ts'

/** Windows in this process's memory: exact for a gateway that runs as one process. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, SlidingWindow>()
  readonly #now: () => number

  constructor({ now = Date.now }: { now?: () => number } = {}) {
    this.#now = now
  }

  async take(key: string, cost: Cost, limits: RateLimits): Promise<RateDecision> {
    const now = this.#now()
    return this.#window(key, now).take(cost, limits, now).decision
  }

  async settle(key: string, ticket: number, tokens: number): Promise<void> {
    const now = this.#now()
    this.#window(key, now).settle(ticket, tokens, now)
  }

  async release(key: string, ticket: number): Promise<void> {
    const now = this.#now()
    this.#window(key, now).release(ticket, now)
  }

  #window(key: string, now: number): SlidingWindow {
    let window = this.#windows.get(key)
    if (window === undefined) {
      if (this.#windows.size >= 10_000) this.#forgetEmpty(now)
      window = new SlidingWindow()
      this.#windows.set(key, window)
    }
    return window
  }

  #forgetEmpty(now: number): void {
    for (const [key, window] of this.#windows) {
      window.expire(now)
      if (window.isEmpty) this.#windows.delete(key)
    }
  }
}

import type { RateLimits } from '../config/index.ts'

/**
 * A sliding window log of the last minute per principal. A request is admitted only if
 * the requests and tokens admitted in the 60 s before it, plus its own, fit the limits:
 * "60 per minute" holds for every minute, not just on average, and Retry-After is the
 * exact moment enough of the log expires. Memory is one entry per admitted request.
 */

export const WINDOW_MS = 60_000

export interface WindowEntry {
  /** Increasing within a window: the ticket that settles it. */
  readonly id: number
  readonly at: number
  requests: number
  tokens: number
}

export interface Cost {
  readonly requests: number
  readonly tokens: number
}

export interface LimitSnapshot {
  readonly limit: number
  readonly remaining: number
  /** Until the window holds none of this kind again. */
  readonly resetMs: number
}

export interface RateDecision {
  readonly allowed: boolean
  /** Settles an admitted request's reservation; null when refused. */
  readonly ticket: number | null
  readonly requests: LimitSnapshot
  readonly tokens: LimitSnapshot
  /** When a refused request could pass; null when it never can (it costs more than a minute's allowance). */
  readonly retryAfterMs: number | null
}

export class SlidingWindow {
  readonly #entries: WindowEntry[] = []
  #head = 0
  #requests = 0
  #tokens = 0
  #nextId: number

  /** `entries` restores a persisted log, oldest first. */
  constructor(entries: readonly WindowEntry[] = []) {
    for (const entry of entries) this.#append({ ...entry })
    this.#nextId = (entries.at(-1)?.id ?? 0) + 1
  }

  get isEmpty(): boolean {
    return this.#head === this.#entries.length
  }

  /** Admits `cost` if it fits; the new entry is returned for persistence. */
  take(cost: Cost, limits: RateLimits, now: number): { decision: RateDecision; entry: WindowEntry | undefined } {
    this.expire(now)
    const fits = this.#requests + cost.requests <= limits.rpm && this.#tokens + cost.tokens <= limits.tpm
    let entry: WindowEntry | undefined
    if (fits) {
      entry = { id: this.#nextId++, at: now, requests: cost.requests, tokens: cost.tokens }
      this.#append(entry)
    }
    const decision: RateDecision = {
      allowed: fits,
      ticket: entry?.id ?? null,
      requests: this.#snapshot('requests', limits.rpm, now),
      tokens: this.#snapshot('tokens', limits.tpm, now),
      retryAfterMs: fits ? 0 : this.#waitFor(cost, limits, now),
    }
    return { decision, entry }
  }

  /**
   * Corrects the reservation of `ticket` by `tokens` (actual minus reserved). A refund
   * shrinks the entry while it is still in the window; an overshoot is charged now, as a
   * new entry, so it counts for a full minute even when the request outlived its own.
   */
  settle(ticket: number, tokens: number, now: number): WindowEntry | undefined {
    this.expire(now)
    if (tokens < 0) {
      const entry = this.#find(ticket)
      if (entry === undefined) return undefined
      const refund = Math.min(entry.tokens, -tokens)
      entry.tokens -= refund
      this.#tokens -= refund
      return entry
    }
    if (tokens === 0) return undefined
    const entry = { id: this.#nextId++, at: now, requests: 0, tokens }
    this.#append(entry)
    return entry
  }

  /**
   * Takes back an admitted request whose other window refused it (a token's minting key): its
   * request and tokens leave the log at once, as if it had never been admitted.
   */
  release(ticket: number, now: number): WindowEntry | undefined {
    this.expire(now)
    const entry = this.#find(ticket)
    if (entry === undefined) return undefined
    this.#requests -= entry.requests
    this.#tokens -= entry.tokens
    entry.requests = 0
    entry.tokens = 0
    return entry
  }

  /** Drops what is older than a minute. */
  expire(now: number): void {
    while (this.#head < this.#entries.length && this.#entries[this.#head]!.at <= now - WINDOW_MS) {
      const entry = this.#entries[this.#head++]!
      this.#requests -= entry.requests
      this.#tokens -= entry.tokens
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head)
      this.#head = 0
    }
  }

  #append(entry: WindowEntry): void {
    this.#entries.push(entry)
    this.#requests += entry.requests
    this.#tokens += entry.tokens
  }

  #find(id: number): WindowEntry | undefined {
    // Ids increase along the log: binary search.
    let low = this.#head
    let high = this.#entries.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const entry = this.#entries[mid]!
      if (entry.id === id) return entry
      if (entry.id < id) low = mid + 1
      else high = mid - 1
    }
    return undefined
  }

  #snapshot(kind: 'requests' | 'tokens', limit: number, now: number): LimitSnapshot {
    const used = kind === 'requests' ? this.#requests : this.#tokens
    let resetMs = 0
    for (let i = this.#entries.length - 1; i >= this.#head; i--) {
      const entry = this.#entries[i]!
      if (entry[kind] > 0) {
        resetMs = entry.at + WINDOW_MS - now
        break
      }
    }
    return { limit, remaining: Math.max(0, limit - used), resetMs }
  }

  #waitFor(cost: Cost, limits: RateLimits, now: number): number | null {
    if (cost.requests > limits.rpm || cost.tokens > limits.tpm) return null
    let requests = this.#requests
    let tokens = this.#tokens
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!
      requests -= entry.requests
      tokens -= entry.tokens
      if (requests + cost.requests <= limits.rpm && tokens + cost.tokens <= limits.tpm) return entry.at + WINDOW_MS - now
    }
    return null
  }
}

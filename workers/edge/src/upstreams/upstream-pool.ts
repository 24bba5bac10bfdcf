import type { UpstreamConfig } from '../config/index.ts'
import type { UpstreamModel } from './upstream-models.ts'

/** One native-server as the pool sees it. State is per gateway instance (a Workers isolate, a Node process). */
export class Upstream {
  readonly name: string
  readonly url: string
  readonly weight: number
  /** Requests sent and not yet finished (streams count until their last byte). */
  outstanding = 0
  /** The last active check's answer; false until the first one says otherwise. */
  ready = false
  /** Whether a check has ever found it ready: until then it is sent no chat request at all. */
  seenReady = false
  /** After a failure (passive check), skipped until then unless nothing else is left. */
  ejectedUntil = 0
  /** From the upstream's own Retry-After (a 429 or 503): not sent anything before then. */
  busyUntil = 0
  /** Smooth weighted round robin's running score. */
  current = 0
  /** Its `GET /v1/models` at the last check that found it ready; undefined until one answered. */
  models: ReadonlyMap<string, UpstreamModel> | undefined

  constructor({ name, url, weight }: UpstreamConfig) {
    this.name = name
    this.url = url
    this.weight = weight
  }

  isAvailable(now: number): boolean {
    return this.ready && now >= this.ejectedUntil && now >= this.busyUntil
  }
}

export interface UpstreamChoice {
  readonly upstream: Upstream
  /** How long to wait for its Retry-After first; 0 to go now. */
  readonly waitMs: number
}

export interface PoolHealth {
  readonly available: number
  readonly total: number
}

/**
 * Least outstanding requests, weighted: each available upstream's share is its weight
 * divided by (outstanding + 1), and smooth weighted round robin (nginx's) turns shares
 * into picks, so idle upstreams take traffic in proportion to their weights and busy
 * ones take less. When none is available the least bad is used rather than failing:
 * an ejected or unready upstream may have recovered; a busy one is waited for. An
 * upstream never seen ready is never picked: one that is starting would only refuse.
 */
export class UpstreamPool {
  readonly upstreams: readonly Upstream[]
  readonly #ejectMs: number

  constructor(configs: readonly UpstreamConfig[], { ejectMs }: { ejectMs: number }) {
    this.upstreams = configs.map((config) => new Upstream(config))
    this.#ejectMs = ejectMs
  }

  pick(exclude: ReadonlySet<Upstream>, now: number): UpstreamChoice | undefined {
    const candidates = this.upstreams.filter((upstream) => upstream.seenReady && !exclude.has(upstream))
    const available = candidates.filter((upstream) => upstream.isAvailable(now))
    if (available.length > 0) return { upstream: this.#roundRobin(available), waitMs: 0 }
    const notBusy = candidates.filter((upstream) => now >= upstream.busyUntil)
    if (notBusy.length > 0) {
      const upstream = notBusy.reduce((best, next) => (next.ejectedUntil < best.ejectedUntil ? next : best))
      return { upstream, waitMs: 0 }
    }
    if (candidates.length === 0) return undefined
    const upstream = candidates.reduce((best, next) => (next.busyUntil < best.busyUntil ? next : best))
    return { upstream, waitMs: upstream.busyUntil - now }
  }

  /** Counts a request against `upstream` until the returned function is called (once). */
  start(upstream: Upstream): () => void {
    upstream.outstanding++
    let done = false
    return function finish() {
      if (done) return
      done = true
      upstream.outstanding--
    }
  }

  /** An active check's answer. */
  checked(upstream: Upstream, ready: boolean): void {
    upstream.ready = ready
    if (!ready) return
    upstream.seenReady = true
    this.succeeded(upstream)
  }

  succeeded(upstream: Upstream): void {
    upstream.ejectedUntil = 0
  }

  /** A connect error, timeout or 5xx: skipped until the next check interval. */
  failed(upstream: Upstream, now: number): void {
    upstream.ejectedUntil = now + this.#ejectMs
  }

  /** The upstream asked for time (429 or 503 with Retry-After). */
  busy(upstream: Upstream, until: number): void {
    upstream.busyUntil = Math.max(upstream.busyUntil, until)
  }

  health(now: number): PoolHealth {
    return { available: this.upstreams.filter((upstream) => upstream.isAvailable(now)).length, total: this.upstreams.length }
  }

  /** How many upstreams the last active checks found ready. */
  readyCount(): number {
    return this.upstreams.filter((upstream) => upstream.ready).length
  }

  #roundRobin(available: readonly Upstream[]): Upstream {
    let total = 0
    let best: Upstream | undefined
    for (const upstream of available) {
      const share = upstream.weight / (upstream.outstanding + 1)
      upstream.current += share
      total += share
      if (best === undefined || upstream.current > best.current) best = upstream
    }
    best!.current -= total
    return best!
  }
}

import type { Logger } from '@tandem/protocol'
import type { UpstreamFetch } from './upstream-fetch.ts'
import { fetchUpstreamModels } from './upstream-models.ts'
import type { UpstreamPool } from './upstream-pool.ts'

export interface HealthCheckerOptions {
  readonly fetch: UpstreamFetch
  readonly intervalMs: number
  readonly headers: Record<string, string>
  readonly log: Logger
}

/** While no upstream is ready, a request checks them itself at most this often (or every interval, if shorter). */
export const RECHECK_WHILE_NONE_READY_MS = 250

/**
 * Active checks: `GET /readyz` on every upstream, at most once per interval, and with it
 * `GET /v1/models` (each model's created time and context, which the gateway's own list and its
 * context check read). Workers
 * have no background timers outside a request, so checks run when a request finds them
 * due, in the background (the caller hands the promise to `waitUntil`); both runtimes
 * do the same. While none is ready, a request that needs one checks first (`checkIfNoneReady`).
 */
export class HealthChecker {
  readonly #pool: UpstreamPool
  readonly #options: HealthCheckerOptions
  #lastRun = Number.NEGATIVE_INFINITY
  #running: Promise<void> | undefined
  /** When a round last ended with no upstream ready. */
  #noneReadyAt = Number.NEGATIVE_INFINITY

  constructor(pool: UpstreamPool, options: HealthCheckerOptions) {
    this.#pool = pool
    this.#options = options
  }

  /** Starts a round of checks if one is due; the promise settles when it is done and never rejects. */
  runIfDue(now: number): Promise<void> | undefined {
    if (this.#running !== undefined || now - this.#lastRun < this.#options.intervalMs) return undefined
    this.#lastRun = now
    this.#running = this.run().finally(() => (this.#running = undefined))
    return this.#running
  }

  /**
   * When the last checks found no upstream ready (a gateway that just started, upstreams that are
   * starting or restarting): a round of checks now, awaited, unless a round found none ready moments
   * ago. The round is this request's own, not a share of another's, because a Worker may not wait on
   * I/O that another request started. Never rejects.
   */
  async checkIfNoneReady(now: number): Promise<void> {
    if (this.#pool.readyCount() > 0) return
    if (now - this.#noneReadyAt < Math.min(RECHECK_WHILE_NONE_READY_MS, this.#options.intervalMs)) return
    await this.run()
  }

  async run(): Promise<void> {
    const { fetch, headers, intervalMs, log } = this.#options
    const timeoutMs = Math.min(2000, intervalMs)
    await Promise.all(
      this.#pool.upstreams.map(async (upstream) => {
        let ready: boolean
        // Asked together, so a round takes no longer; a list from a server that is not ready is not kept.
        const models = fetchUpstreamModels(fetch, upstream.url, { headers, signal: AbortSignal.timeout(timeoutMs) })
        try {
          const response = await fetch(`${upstream.url}/readyz`, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs) })
          await response.text()
          ready = response.status >= 200 && response.status < 300
        } catch {
          ready = false
        }
        const listed = await models
        if (ready && listed !== undefined) upstream.models = listed
        if (ready !== upstream.ready) log.info(ready ? 'upstream ready' : 'upstream not ready', { upstream: upstream.name })
        this.#pool.checked(upstream, ready)
      }),
    )
    if (this.#pool.readyCount() === 0) this.#noneReadyAt = Date.now()
  }
}

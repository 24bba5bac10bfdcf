import { DurableObject } from 'cloudflare:workers'
import type { RateLimits } from '../../config/index.ts'
import { SlidingWindow, WINDOW_MS, type Cost, type RateDecision, type WindowEntry } from '../../limits/index.ts'

/**
 * One principal's window. Cloudflare runs exactly one instance of a Durable Object per
 * name, anywhere in the world, and delivers its calls one at a time: every gateway
 * instance's `take` for that principal is serialised here, which is what makes the
 * limit exact. The log is mirrored in the object's SQLite storage so a restart keeps it.
 */
export class RateLimiterObject extends DurableObject {
  readonly #window: SlidingWindow

  constructor(...args: ConstructorParameters<typeof DurableObject>) {
    super(...args)
    const { sql } = this.ctx.storage
    sql.exec('CREATE TABLE IF NOT EXISTS window (id INTEGER PRIMARY KEY, at REAL NOT NULL, requests INTEGER NOT NULL, tokens REAL NOT NULL)')
    sql.exec('DELETE FROM window WHERE at <= ?', Date.now() - WINDOW_MS)
    this.#window = new SlidingWindow(sql.exec<WindowEntry>('SELECT id, at, requests, tokens FROM window ORDER BY id').toArray())
  }

  take(cost: Cost, limits: RateLimits): RateDecision {
    const now = Date.now()
    const { decision, entry } = this.#window.take(cost, limits, now)
    if (entry !== undefined) {
      this.#save(entry)
      this.ctx.storage.sql.exec('DELETE FROM window WHERE at <= ?', now - WINDOW_MS)
    }
    return decision
  }

  settle(ticket: number, tokens: number): void {
    const entry = this.#window.settle(ticket, tokens, Date.now())
    if (entry !== undefined) this.#save(entry)
  }

  release(ticket: number): void {
    const entry = this.#window.release(ticket, Date.now())
    if (entry !== undefined) this.#save(entry)
  }

  #save({ id, at, requests, tokens }: WindowEntry): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO window (id, at, requests, tokens) VALUES (?, ?, ?, ?)', id, at, requests, tokens)
  }
}

import type { RateLimits } from '../../config/index.ts'
import type { Cost, RateDecision, RateLimiter } from '../../limits/index.ts'
import type { DurableObjectNamespace } from './durable-object-namespace.ts'

export interface RateLimiterStub {
  take(cost: Cost, limits: RateLimits): Promise<RateDecision>
  settle(ticket: number, tokens: number): Promise<void>
  release(ticket: number): Promise<void>
}

/** Each principal's window in its own Durable Object (`RateLimiterObject`), named by its limit key. */
export class DurableRateLimiter implements RateLimiter {
  readonly #namespace: DurableObjectNamespace<RateLimiterStub>

  constructor(namespace: DurableObjectNamespace<RateLimiterStub>) {
    this.#namespace = namespace
  }

  take(key: string, cost: Cost, limits: RateLimits): Promise<RateDecision> {
    return this.#stub(key).take(cost, limits)
  }

  settle(key: string, ticket: number, tokens: number): Promise<void> {
    return this.#stub(key).settle(ticket, tokens)
  }

  release(key: string, ticket: number): Promise<void> {
    return this.#stub(key).release(ticket)
  }

  #stub(key: string): RateLimiterStub {
    return this.#namespace.get(this.#namespace.idFromName(key))
  }
}

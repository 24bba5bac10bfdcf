import type { RateLimits } from '../config/index.ts'
import type { Cost, RateDecision } from './sliding-window.ts'

/**
 * Where the windows live. Every gateway instance that serves a principal must reach the
 * same window: one Durable Object per principal on Workers, memory in the single Node process.
 */
export interface RateLimiter {
  take(key: string, cost: Cost, limits: RateLimits): Promise<RateDecision>
  /** Corrects an admitted request's reservation: `tokens` is actual minus reserved. */
  settle(key: string, ticket: number, tokens: number): Promise<void>
  /** Takes an admitted request back whole: another of its windows refused it. */
  release(key: string, ticket: number): Promise<void>
}

import type { Context } from 'hono'
import { TandemError } from '@tandem/protocol'
import { limitWindows, type Principal } from '../auth/index.ts'
import { rateLimitHeaders } from './rate-limit-headers.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { Cost, LimitSnapshot, RateDecision } from './sliding-window.ts'

/** An admitted request's hold on its windows. */
export interface Admitted {
  /** Corrects the reservation in every window: `tokens` is actual minus reserved. */
  settle(tokens: number): Promise<void>
}

function refusal(decision: RateDecision, cost: Cost, whose: string): TandemError {
  if (decision.retryAfterMs === null) {
    return new TandemError('rate_limited', `this request needs about ${cost.tokens} tokens, more than the ${decision.tokens.limit} per minute allowed${whose}`, {
      isRetryable: false,
    })
  }
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
  const which = decision.requests.remaining < cost.requests ? `${decision.requests.limit} requests` : `${decision.tokens.limit} tokens`
  return new TandemError('rate_limited', `rate limit reached: ${which} per minute${whose}; try again in ${seconds} s`)
}

/** Of several windows' snapshots, the one with the least left: what the caller may still do. */
function tightest(snapshots: readonly LimitSnapshot[]): LimitSnapshot {
  return snapshots.reduce((a, b) => (b.remaining < a.remaining ? b : a))
}

/**
 * Charges `cost` to every window of the principal (a token's subject, then its minting key, so
 * minted tokens never add up to more than their key may do), or refuses with 429 and takes back
 * what it had taken. Either way the response carries the x-ratelimit-* headers of whatever has
 * the least left, and a refusal that can pass later its Retry-After.
 */
export async function admit(c: Context, limiter: RateLimiter, principal: Principal, cost: Cost): Promise<Admitted> {
  const taken: Array<{ limitKey: string; decision: RateDecision }> = []
  const releaseTaken = () => Promise.all(taken.filter(({ decision }) => decision.allowed).map(({ limitKey, decision }) => limiter.release(limitKey, decision.ticket!)))
  try {
    for (const { limitKey, limits } of limitWindows(principal)) {
      const decision = await limiter.take(limitKey, cost, limits)
      taken.push({ limitKey, decision })
      if (!decision.allowed) break
    }
  } catch (error) {
    await releaseTaken().catch(() => undefined)
    throw new TandemError('upstream_unavailable', 'the rate limiter is unavailable; try again', { cause: error })
  }
  const refused = taken.find(({ decision }) => !decision.allowed)
  const shown: RateDecision = refused?.decision ?? {
    ...taken[0]!.decision,
    requests: tightest(taken.map(({ decision }) => decision.requests)),
    tokens: tightest(taken.map(({ decision }) => decision.tokens)),
  }
  for (const [name, value] of Object.entries(rateLimitHeaders(shown))) c.header(name, value)
  if (refused) {
    await releaseTaken().catch(() => undefined)
    throw refusal(refused.decision, cost, refused.limitKey === principal.limitKey ? '' : ' for all the tokens of this key')
  }
  return {
    settle: async (tokens) => {
      if (tokens !== 0) await Promise.all(taken.map(({ limitKey, decision }) => limiter.settle(limitKey, decision.ticket!, tokens)))
    },
  }
}

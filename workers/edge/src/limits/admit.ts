import type { Context } from 'hono'
import { TandemError } from '@tandem/protocol'
import type { Principal } from '../auth/index.ts'
import { rateLimitHeaders } from './rate-limit-headers.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { Cost, RateDecision } from './sliding-window.ts'

function refusal(decision: RateDecision, cost: Cost): TandemError {
  if (decision.retryAfterMs === null) {
    return new TandemError('rate_limited', `this request needs about ${cost.tokens} tokens, more than the ${decision.tokens.limit} per minute allowed`, {
      isRetryable: false,
    })
  }
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
  const which = decision.requests.remaining < cost.requests ? `${decision.requests.limit} requests` : `${decision.tokens.limit} tokens`
  return new TandemError('rate_limited', `rate limit reached: ${which} per minute; try again in ${seconds} s`)
}

/**
 * Charges `cost` to the principal's window, or refuses with 429. Either way the response
 * carries the x-ratelimit-* headers, and a refusal that can pass later its Retry-After.
 */
export async function admit(c: Context, limiter: RateLimiter, principal: Principal, cost: Cost): Promise<RateDecision> {
  let decision: RateDecision
  try {
    decision = await limiter.take(principal.limitKey, cost, principal.limits)
  } catch (error) {
    throw new TandemError('upstream_unavailable', 'the rate limiter is unavailable; try again', { cause: error })
  }
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value)
  if (!decision.allowed) throw refusal(decision, cost)
  return decision
}

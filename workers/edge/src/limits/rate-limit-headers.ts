import type { LimitSnapshot, RateDecision } from './sliding-window.ts'

/** A duration the way OpenAI writes it in `x-ratelimit-reset-*`: `120ms`, `1.5s`, `1m0s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`
  return `${Math.floor(seconds / 60)}m${Number((seconds % 60).toFixed(3))}s`
}

function describe(kind: 'requests' | 'tokens', snapshot: LimitSnapshot): Record<string, string> {
  return {
    [`x-ratelimit-limit-${kind}`]: String(snapshot.limit),
    [`x-ratelimit-remaining-${kind}`]: String(snapshot.remaining),
    [`x-ratelimit-reset-${kind}`]: formatDuration(snapshot.resetMs),
  }
}

/** OpenAI's rate-limit headers, plus Retry-After (seconds) and retry-after-ms on a refusal. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers = { ...describe('requests', decision.requests), ...describe('tokens', decision.tokens) }
  if (decision.allowed || decision.retryAfterMs === null) return headers
  return { ...headers, 'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))), 'retry-after-ms': String(decision.retryAfterMs) }
}

import { describe, expect, it } from 'vitest'
import { formatDuration, rateLimitHeaders } from './rate-limit-headers.ts'

describe('formatDuration', () => {
  it('writes durations as OpenAI does', () => {
    expect([formatDuration(0), formatDuration(120), formatDuration(1500), formatDuration(60_000), formatDuration(61_250)]).toEqual(['0ms', '120ms', '1.5s', '1m0s', '1m1.25s'])
  })
})

describe('rateLimitHeaders', () => {
  const snapshot = { limit: 10, remaining: 0, resetMs: 6000 }
  it('adds Retry-After in whole seconds, rounded up, only to a refusal that can pass later', () => {
    expect(rateLimitHeaders({ allowed: false, ticket: null, requests: snapshot, tokens: snapshot, retryAfterMs: 1200 })).toMatchObject({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-requests': '6s',
      'retry-after': '2',
      'retry-after-ms': '1200',
    })
    expect(rateLimitHeaders({ allowed: false, ticket: null, requests: snapshot, tokens: snapshot, retryAfterMs: null })).not.toHaveProperty('retry-after')
    expect(rateLimitHeaders({ allowed: true, ticket: 1, requests: snapshot, tokens: snapshot, retryAfterMs: 0 })).not.toHaveProperty('retry-after')
  })
})

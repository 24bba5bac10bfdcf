import { describe, expect, it } from 'vitest'
import { MemoryRateLimiter } from './memory-rate-limiter.ts'

describe('MemoryRateLimiter', () => {
  it('keeps one window per key and settles reservations by ticket', async () => {
    let now = 0
    const limiter = new MemoryRateLimiter({ now: () => now })
    const limits = { rpm: 2, tpm: 100 }
    const first = await limiter.take('a', { requests: 1, tokens: 60 }, limits)
    expect(first).toMatchObject({ allowed: true, ticket: 1 })
    expect((await limiter.take('a', { requests: 1, tokens: 60 }, limits)).allowed).toBe(false)
    expect((await limiter.take('b', { requests: 1, tokens: 60 }, limits)).allowed).toBe(true)
    await limiter.settle('a', first.ticket!, -50)
    expect(await limiter.take('a', { requests: 1, tokens: 60 }, limits)).toMatchObject({ allowed: true, requests: { remaining: 0 }, tokens: { remaining: 30 } })
    now = 60_000
    expect((await limiter.take('a', { requests: 1, tokens: 10 }, limits)).allowed).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import type { Principal } from '../auth/index.ts'
import { ConcurrencyLimiter } from './concurrency.ts'

const limits = (concurrent: number) => ({ rpm: 100, tpm: 1e6, concurrent })
const key: Principal = { kind: 'secret', id: 'k', limitKey: 'key:k', limits: limits(3), models: undefined }
const subject = (name: string): Principal => ({
  kind: 'token',
  id: `k/${name}`,
  limitKey: `token:k:${name}`,
  limits: limits(2),
  mintingKey: { limitKey: 'key:k', limits: limits(3) },
  models: undefined,
})

describe('ConcurrencyLimiter', () => {
  it('admits up to the limit, refuses past it with 429, and admits again once one is released (once)', () => {
    const limiter = new ConcurrencyLimiter()
    const releases = [limiter.acquire(key), limiter.acquire(key), limiter.acquire(key)]
    expect(() => limiter.acquire(key)).toThrow(expect.objectContaining({ code: 'rate_limited', status: 429, message: expect.stringMatching(/this key may have 3 chat completions running/) }))
    releases[0]!()
    releases[0]!()
    expect(limiter.inFlight('key:k')).toBe(2)
    limiter.acquire(key)
    expect(() => limiter.acquire(key)).toThrow()
  })

  it('holds a token to its subject’s limit and, with every other subject and the key itself, to its key’s', () => {
    const limiter = new ConcurrencyLimiter()
    limiter.acquire(subject('a'))
    limiter.acquire(subject('a'))
    expect(() => limiter.acquire(subject('a'))).toThrow(/this token’s subject may have 2/)
    const b = limiter.acquire(subject('b'))
    expect(() => limiter.acquire(subject('b'))).toThrow(/all the tokens of this key may have 3/)
    expect(() => limiter.acquire(key)).toThrow(/this key may have 3/)
    // A refusal takes nothing: the subject refused by its key's window holds only what it held.
    expect([limiter.inFlight('token:k:b'), limiter.inFlight('key:k')]).toEqual([1, 3])
    b()
    expect([limiter.inFlight('token:k:b'), limiter.inFlight('key:k')]).toEqual([0, 2])
  })
})

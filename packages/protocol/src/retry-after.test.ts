import { describe, expect, it } from 'vitest'
import { retryAfterMs } from './retry-after.ts'

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1)

  it('reads seconds, HTTP dates and retry-after-ms, preferring the precise one', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000)
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 3000).toUTCString() }), now)).toBe(3000)
    expect(retryAfterMs(new Headers({ 'retry-after': '2', 'retry-after-ms': '150' }), now)).toBe(150)
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '12.2' }), now)).toBe(13)
  })

  it('treats a date in the past as now, and ignores what it cannot read', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now - 5000).toUTCString() }), now)).toBe(0)
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined()
    expect(retryAfterMs(new Headers({ 'retry-after': '' }), now)).toBeUndefined()
    expect(retryAfterMs(new Headers(), now)).toBeUndefined()
  })
})

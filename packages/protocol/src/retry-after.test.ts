import { describe, expect, it } from 'vitest'
import { retryAfterMs, sleep } from './retry-after.ts'

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

describe('sleep', () => {
  it('waits the time asked', async () => {
    const started = performance.now()
    await sleep(30, new AbortController().signal)
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
  })

  it('rejects with the reason as soon as the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController()
    const reason = new Error('gone')
    const started = performance.now()
    const waiting = sleep(10_000, controller.signal)
    setTimeout(() => controller.abort(reason), 10)
    await expect(waiting).rejects.toBe(reason)
    expect(performance.now() - started).toBeLessThan(1_000)
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason)
  })
})

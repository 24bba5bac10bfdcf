import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SlidingWindow, WINDOW_MS } from './sliding-window.ts'

const limits = { rpm: 3, tpm: 600 }
const one = { requests: 1, tokens: 100 }

describe('SlidingWindow', () => {
  it('admits a minute’s allowance, then exactly when the oldest entry leaves the window', () => {
    const window = new SlidingWindow()
    const at = [0, 10_000, 20_000, 30_000, 59_999, 60_000, 60_001]
    const decisions = at.map((now) => window.take(one, limits, now).decision)
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false, true, false])
    expect(decisions[3]).toMatchObject({ ticket: null, retryAfterMs: 30_000, requests: { limit: 3, remaining: 0, resetMs: 50_000 } })
    expect(decisions[4]?.retryAfterMs).toBe(1)
    expect(decisions[0]).toMatchObject({ ticket: 1, requests: { remaining: 2, resetMs: 60_000 }, tokens: { limit: 600, remaining: 500 } })
    expect(decisions[5]?.ticket).toBe(4)
  })

  it('never admits more than the limits in any minute, whatever the arrivals and costs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 400 })), { maxLength: 60 }), (arrivals) => {
        const window = new SlidingWindow()
        const admitted: Array<{ at: number; tokens: number }> = []
        let now = 0
        for (const [gap, tokens] of arrivals) {
          now += gap
          if (window.take({ requests: 1, tokens }, limits, now).decision.allowed) admitted.push({ at: now, tokens })
        }
        for (const { at } of admitted) {
          const inMinute = admitted.filter((a) => a.at >= at && a.at < at + WINDOW_MS)
          expect(inMinute.length).toBeLessThanOrEqual(limits.rpm)
          expect(inMinute.reduce((sum, a) => sum + a.tokens, 0)).toBeLessThanOrEqual(limits.tpm)
        }
      }),
    )
  })

  it('says when a refused request will pass, and that one costing more than a minute never will', () => {
    const window = new SlidingWindow()
    window.take({ requests: 1, tokens: 400 }, limits, 0)
    window.take({ requests: 1, tokens: 100 }, limits, 5_000)
    const refused = window.take({ requests: 1, tokens: 200 }, limits, 10_000).decision
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 50_000 })
    expect(window.take({ requests: 1, tokens: 200 }, limits, 10_000 + 50_000).decision.allowed).toBe(true)
    expect(window.take({ requests: 1, tokens: 601 }, limits, 0).decision).toMatchObject({ allowed: false, retryAfterMs: null })
  })

  it('refunds unused reservations while they are in the window, and charges overshoot from now', () => {
    const window = new SlidingWindow()
    const { decision } = window.take({ requests: 1, tokens: 500 }, limits, 0)
    window.settle(decision.ticket!, -400, 1_000)
    expect(window.take({ requests: 1, tokens: 500 }, limits, 1_000).decision.allowed).toBe(true)
    const overshoot = window.settle(decision.ticket!, 300, 50_000)
    expect(overshoot).toMatchObject({ at: 50_000, requests: 0, tokens: 300 })
    // The reservations have left the window at 61 s; the overshoot, charged at 50 s, has not.
    expect(window.take({ requests: 1, tokens: 400 }, limits, 61_000).decision).toMatchObject({ allowed: false, retryAfterMs: 49_000 })
    expect(window.settle(12345, -10, 61_000)).toBeUndefined()
  })

  it('releases an admitted request whole, as if it had never come', () => {
    const window = new SlidingWindow()
    const { decision } = window.take({ requests: 1, tokens: 500 }, limits, 0)
    window.take(one, limits, 1)
    expect(window.take(one, limits, 2).decision.allowed).toBe(false)
    expect(window.release(decision.ticket!, 3)).toMatchObject({ requests: 0, tokens: 0 })
    expect(window.take({ requests: 1, tokens: 500 }, limits, 4).decision).toMatchObject({ allowed: true, requests: { remaining: 1 }, tokens: { remaining: 0 } })
    expect(window.release(999, 5)).toBeUndefined()
  })

  it('restores a persisted log and continues its tickets', () => {
    const window = new SlidingWindow([{ id: 7, at: 0, requests: 3, tokens: 10 }])
    expect(window.take(one, limits, 1).decision.allowed).toBe(false)
    expect(window.take(one, limits, WINDOW_MS).decision.ticket).toBe(8)
  })
})

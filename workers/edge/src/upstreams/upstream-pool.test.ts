import { describe, expect, it } from 'vitest'
import { UpstreamPool } from './upstream-pool.ts'

/** Upstreams as the active checks leave them: `ready` those found ready (all, unless told). */
function pool(weights: number[], ready: (index: number) => boolean = () => true) {
  const p = new UpstreamPool(
    weights.map((weight, i) => ({ name: `u${i}`, url: `http://127.0.0.1:${9000 + i}`, weight })),
    { ejectMs: 5000 },
  )
  p.upstreams.forEach((upstream, i) => p.checked(upstream, ready(i)))
  return p
}

function names(p: UpstreamPool, count: number, now = 0): string[] {
  return Array.from({ length: count }, () => p.pick(new Set(), now)!.upstream.name)
}

describe('UpstreamPool', () => {
  it('spreads idle traffic in proportion to the weights, smoothly', () => {
    expect(names(pool([1, 1]), 4)).toEqual(['u0', 'u1', 'u0', 'u1'])
    expect(names(pool([3, 1]), 8)).toEqual(['u0', 'u0', 'u1', 'u0', 'u0', 'u0', 'u1', 'u0'])
  })

  it('favours the upstream with fewer outstanding requests', () => {
    const p = pool([1, 1])
    const [u0] = p.upstreams
    p.start(u0!)
    p.start(u0!)
    p.start(u0!)
    const picks = names(p, 8)
    expect(picks.filter((n) => n === 'u1').length).toBeGreaterThanOrEqual(6)
  })

  it('counts a request until it finishes, once', () => {
    const p = pool([1])
    const [u0] = p.upstreams
    const finish = p.start(u0!)
    expect(u0!.outstanding).toBe(1)
    finish()
    finish()
    expect(u0!.outstanding).toBe(0)
  })

  it('skips ejected, unready and busy upstreams while others are available', () => {
    const p = pool([1, 1, 1])
    const [u0, u1, u2] = p.upstreams
    p.failed(u0!, 0)
    u1!.ready = false
    expect(names(p, 3, 100)).toEqual(['u2', 'u2', 'u2'])
    expect(p.health(100)).toEqual({ available: 1, total: 3 })
    p.busy(u2!, 1000)
    // Nothing available: the least recently ejected that is not busy is tried anyway.
    expect(p.pick(new Set(), 100)).toEqual({ upstream: u1, waitMs: 0 })
    p.succeeded(u0!)
    expect(p.pick(new Set(), 100)?.upstream).toBe(u0)
    expect(p.pick(new Set(), 5000)?.upstream).toBe(u0)
  })

  it('sends nothing to an upstream until a check has found it ready once', () => {
    const p = pool([1, 1], (i) => i === 1)
    const [u0, u1] = p.upstreams
    expect(names(p, 3)).toEqual(['u1', 'u1', 'u1'])
    // Even when the only one seen is unavailable, the one never seen is not the least bad.
    p.failed(u1!, 0)
    expect(p.pick(new Set(), 100)?.upstream).toBe(u1)
    expect(p.pick(new Set([u1!]), 100)).toBeUndefined()
    expect(pool([1, 1], () => false).pick(new Set(), 0)).toBeUndefined()
    // Seen once, it stays a candidate of last resort while a later check finds it unready.
    p.checked(u0!, true)
    p.checked(u0!, false)
    expect(p.pick(new Set([u1!]), 100)?.upstream).toBe(u0)
    expect(p.readyCount()).toBe(1)
  })

  it('waits for the earliest busy upstream when nothing else is left, and gives up when all are excluded', () => {
    const p = pool([1, 1])
    const [u0, u1] = p.upstreams
    p.busy(u0!, 700)
    p.busy(u1!, 300)
    expect(p.pick(new Set(), 100)).toEqual({ upstream: u1, waitMs: 200 })
    expect(p.pick(new Set([u0!, u1!]), 100)).toBeUndefined()
  })
})

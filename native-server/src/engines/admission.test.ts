import { describe, expect, it } from 'vitest'
import { TandemError } from '@tandem/protocol'
import { Admission } from './admission.ts'

describe('Admission', () => {
  it('grants free slots at once, each index once', async () => {
    const admission = new Admission({ slots: 2, queueDepth: 0 })
    const [a, b] = await Promise.all([admission.acquire(), admission.acquire()])
    expect(new Set([a.index, b.index])).toEqual(new Set([0, 1]))
    expect([admission.active, admission.queued, admission.full]).toEqual([2, 0, true])
  })

  it('queues in order up to its depth and refuses the next with rate_limited', async () => {
    const admission = new Admission({ slots: 1, queueDepth: 2 })
    const first = await admission.acquire()
    const order: string[] = []
    const second = admission.acquire().then((slot) => (order.push('second'), slot))
    const third = admission.acquire().then((slot) => (order.push('third'), slot))
    expect(admission.queued).toBe(2)
    await expect(admission.acquire()).rejects.toMatchObject({ code: 'rate_limited', status: 429 })
    first.release()
    first.release() // twice is once
    const secondSlot = await second
    expect(secondSlot.index).toBe(first.index)
    expect(admission.queued).toBe(1)
    secondSlot.release()
    ;(await third).release()
    expect(order).toEqual(['second', 'third'])
    expect([admission.active, admission.queued]).toEqual([0, 0])
  })

  it('takes a waiter out of the queue when its request is aborted', async () => {
    const admission = new Admission({ slots: 1, queueDepth: 1 })
    const held = await admission.acquire()
    const controller = new AbortController()
    const waiting = admission.acquire(controller.signal)
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' })
    expect(admission.queued).toBe(0)
    held.release()
    expect(admission.active).toBe(0)
    await expect(admission.acquire(AbortSignal.abort())).rejects.toMatchObject({ code: 'aborted' })
  })

  it('gives up on a slot after the queue timeout', async () => {
    const admission = new Admission({ slots: 1, queueDepth: 1, queueTimeoutMs: 20 })
    await admission.acquire()
    await expect(admission.acquire()).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringContaining('20 ms') })
    expect(admission.queued).toBe(0)
  })

  it('refuses waiters and newcomers once closed, leaving running slots alone', async () => {
    const admission = new Admission({ slots: 1, queueDepth: 1 })
    const running = await admission.acquire()
    const waiting = admission.acquire()
    const closing = new TandemError('upstream_unavailable', 'shutting down')
    admission.close(closing)
    await expect(waiting).rejects.toBe(closing)
    await expect(admission.acquire()).rejects.toBe(closing)
    expect(admission.active).toBe(1)
    running.release()
    expect(admission.active).toBe(0)
  })
})

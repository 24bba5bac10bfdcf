import { describe, expect, it, vi } from 'vitest'
import { Coalescer } from './coalescer.ts'

describe('Coalescer', () => {
  it('gives a reader that fell behind everything pending as one batch, then ends', async () => {
    const queue = new Coalescer<string>()
    for (const item of ['a', 'b', 'c']) queue.push(item)
    queue.end()
    const batches = []
    for await (const batch of queue) batches.push(batch)
    expect(batches).toEqual([['a', 'b', 'c']])
  })

  it('wakes the reader for the first item at once, then at most once per interval, the items between in one batch', async () => {
    // The queue's own clock, faked: a loaded machine can stall a real one past any margin.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      const queue = new Coalescer<string>({ intervalMs: 200 })
      const reader = queue[Symbol.asyncIterator]()
      const first = reader.next()
      queue.push('a')
      await vi.advanceTimersByTimeAsync(0)
      expect((await first).value).toEqual(['a'])
      queue.push('b')
      queue.push('c')
      let second: string[] | undefined
      void reader.next().then((result) => (second = result.value ?? []))
      await vi.advanceTimersByTimeAsync(199)
      expect(second).toBeUndefined()
      await vi.advanceTimersByTimeAsync(1)
      expect(second).toEqual(['b', 'c'])
      await reader.return(undefined)
    } finally {
      vi.useRealTimers()
    }
  })

  it('delivers the end at once, without waiting out the interval', async () => {
    const queue = new Coalescer<string>({ intervalMs: 5_000 })
    const batches: string[][] = []
    queue.push('a')
    const read = (async () => {
      for await (const batch of queue) batches.push(batch)
    })()
    await expect.poll(() => batches).toEqual([['a']])
    const pushedAt = performance.now()
    queue.push('b')
    queue.end()
    await read
    expect(batches).toEqual([['a'], ['b']])
    expect(performance.now() - pushedAt).toBeLessThan(2_000)
  })

  it('throws a failure after the items pushed before it', async () => {
    const queue = new Coalescer<string>()
    queue.push('partial')
    queue.fail(new Error('gone'))
    const batches: string[][] = []
    await expect(
      (async () => {
        for await (const batch of queue) batches.push(batch)
      })(),
    ).rejects.toThrow('gone')
    expect(batches).toEqual([['partial']])
  })

  it('with no interval, wakes a waiting reader for each push, in order', async () => {
    const queue = new Coalescer<string>({ intervalMs: 0 })
    const seen: string[][] = []
    const read = (async () => {
      for await (const batch of queue) seen.push(batch)
    })()
    for (const item of ['x', 'y']) {
      const before = seen.length
      queue.push(item)
      await expect.poll(() => seen.length).toBe(before + 1)
    }
    queue.end()
    await read
    expect(seen).toEqual([['x'], ['y']])
  })
})

import { describe, expect, it } from 'vitest'
import { iterateStream } from './stream-iterator.ts'
import { collect, streamOf } from './test-helpers.ts'

describe('iterateStream', () => {
  it('yields every value, then releases the stream', async () => {
    const stream = streamOf([1, 2, 3])
    expect(await collect(iterateStream(stream))).toEqual([1, 2, 3])
    expect(stream.locked).toBe(false)
  })

  it('cancels the stream when the loop is left early', async () => {
    let cancelled: unknown = 'no'
    let n = 0
    const endless = new ReadableStream<number>({
      pull(controller) {
        controller.enqueue(n++)
      },
      cancel(reason) {
        cancelled = reason
      },
    })
    for await (const value of iterateStream(endless)) if (value === 2) break
    expect(cancelled).toBeUndefined()
    expect(endless.locked).toBe(false)
  })

  it('passes a stream error to the loop', async () => {
    const failing = new ReadableStream({ pull: (controller) => controller.error(new Error('reset')) })
    await expect(collect(iterateStream(failing))).rejects.toThrow('reset')
  })
})

import { describe, expect, it } from 'vitest'
import { TandemError } from '@tandem/protocol'
import { ChunkQueue } from './chunk-queue.ts'

const identity = { id: 'c', created: 1, model: 'm' }
const usage = { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 }

describe('ChunkQueue', () => {
  it('gives a reader that fell behind all pending text as one chunk, then the finish and usage', async () => {
    const queue = new ChunkQueue(identity, () => {})
    queue.push({ content: 'a' })
    queue.push({ content: 'b' })
    queue.push({ content: 'c' })
    queue.finish('length', usage)
    const chunks = []
    for await (const chunk of queue) chunks.push(chunk)
    expect(chunks.map((chunk) => [chunk.choices[0]?.delta.content, chunk.choices[0]?.finish_reason, chunk.usage])).toEqual([
      ['abc', null, undefined],
      [undefined, 'length', undefined],
      [undefined, undefined, usage],
    ])
  })

  it('wakes a waiting reader for each push, in order', async () => {
    const queue = new ChunkQueue(identity, () => {})
    const texts: string[] = []
    const read = (async () => {
      for await (const chunk of queue) texts.push(chunk.choices[0]?.delta.content ?? chunk.choices[0]?.finish_reason ?? 'usage')
    })()
    for (const text of ['x', 'y']) {
      const seen = texts.length
      queue.push({ content: text })
      await expect.poll(() => texts.length).toBe(seen + 1)
    }
    queue.finish('stop', usage)
    await read
    expect(texts).toEqual(['x', 'y', 'stop', 'usage'])
  })

  it('throws the failure after the text that came before it', async () => {
    const queue = new ChunkQueue(identity, () => {})
    queue.push({ content: 'partial' })
    queue.fail(new TandemError('upstream_unavailable', 'shutting down'))
    const texts: string[] = []
    await expect(
      (async () => {
        for await (const chunk of queue) texts.push(chunk.choices[0]!.delta.content!)
      })(),
    ).rejects.toMatchObject({ code: 'upstream_unavailable' })
    expect(texts).toEqual(['partial'])
  })

  it('tells the generation when its reader leaves early, and only then', async () => {
    let left = 0
    const queue = new ChunkQueue(identity, () => left++)
    queue.push({ content: 'a' })
    for await (const _ of queue) break
    expect(left).toBe(1)

    const finished = new ChunkQueue(identity, () => left++)
    finished.finish('stop', usage)
    for await (const _ of finished) continue
    expect(left).toBe(1)
  })

  it('puts the running token count on every chunk when asked, so a joined chunk says how many tokens it holds', async () => {
    const queue = new ChunkQueue(identity, () => {}, 0, { promptTokens: 7 })
    queue.push({ content: 'a' }, 1)
    queue.push({ content: 'bc' }, 3)
    queue.finish('length', { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 })
    const chunks = []
    for await (const chunk of queue) chunks.push(chunk)
    expect(chunks.map((chunk) => (chunk as { timings?: unknown }).timings)).toEqual([{ prompt_n: 7, predicted_n: 3 }, { prompt_n: 7, predicted_n: 4 }, undefined])

    const plain = new ChunkQueue(identity, () => {})
    plain.push({ content: 'a' }, 1)
    plain.finish('stop', usage)
    for await (const chunk of plain) expect(chunk).not.toHaveProperty('timings')
  })
})

import { describe, expect, it } from 'vitest'
import { cachedModelList, MODEL_LIST_MAX_AGE_MS } from './model-list.ts'

/** A list source that counts its reads; `fail` makes the next read reject. */
function source(ids: string[]) {
  const state = { reads: 0, fail: false }
  const read = async () => {
    state.reads++
    await new Promise((resolve) => setTimeout(resolve, 5))
    if (state.fail) throw new Error('gateway down')
    return ids
  }
  return { state, read }
}

describe('cachedModelList', () => {
  it('reads once for concurrent callers, keeps the list a while, then reads again', async () => {
    const { state, read } = source(['grok-2-tiny'])
    const key = 'http://a/v1/models Bearer k1'
    const lists = await Promise.all([0, 1, 2].map(() => cachedModelList(key, read, { now: 1000 })))
    expect(lists).toEqual([['grok-2-tiny'], ['grok-2-tiny'], ['grok-2-tiny']])
    expect(state.reads).toBe(1)
    await cachedModelList(key, read, { now: 1000 + MODEL_LIST_MAX_AGE_MS - 1 })
    expect(state.reads).toBe(1)
    await cachedModelList(key, read, { now: 1000 + MODEL_LIST_MAX_AGE_MS })
    expect(state.reads).toBe(2)
  })

  it('keeps one list per gateway and credential', async () => {
    const { state, read } = source(['grok-2-tiny'])
    await cachedModelList('http://b/v1/models Bearer k1', read, { now: 0 })
    await cachedModelList('http://b/v1/models Bearer k2', read, { now: 0 })
    await cachedModelList('http://c/v1/models Bearer k1', read, { now: 0 })
    expect(state.reads).toBe(3)
  })

  it('shares a failed read with the callers waiting on it, and does not keep it', async () => {
    const { state, read } = source(['grok-2-tiny'])
    const key = 'http://d/v1/models Bearer k1'
    state.fail = true
    const failures = await Promise.allSettled([cachedModelList(key, read, { now: 0 }), cachedModelList(key, read, { now: 0 })])
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected'])
    expect(state.reads).toBe(1)
    state.fail = false
    expect(await cachedModelList(key, read, { now: 1 })).toEqual(['grok-2-tiny'])
    expect(state.reads).toBe(2)
  })
})

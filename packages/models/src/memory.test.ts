import { describe, expect, it } from 'vitest'
import { findModel } from './catalog.ts'
import { estimateMemory } from './memory.ts'

const GiB = 2 ** 30
const grok2 = findModel('grok-2')!
const tiny = findModel('grok-2-tiny')!

describe('estimateMemory', () => {
  it("sizes Grok-2's f16 KV cache at 32 GiB for the full 131072-token context", () => {
    expect(estimateMemory(grok2, 'q2_k', 131072).kvCacheBytes).toBe(32 * GiB)
  })

  it('adds weights, KV cache and compute buffers', () => {
    const m = estimateMemory(grok2, 'q2_k', 8192)
    expect(m.kvCacheBytes).toBe(2 * GiB)
    expect(m.totalBytes).toBe(m.weightsBytes + m.kvCacheBytes + m.computeBytes)
    expect(m.totalBytes / GiB).toBeGreaterThan(92)
    expect(m.totalBytes / GiB).toBeLessThan(96)
  })

  it('grows with context length', () => {
    expect(estimateMemory(tiny, 'q4_0', 4096).totalBytes).toBeGreaterThan(estimateMemory(tiny, 'q4_0', 512).totalBytes)
  })

  it('names what is wrong with bad input', () => {
    expect(() => estimateMemory(grok2, 'q3', 1024)).toThrow(/grok-2 has no variant "q3" \(has bf16, q8_0/)
    expect(() => estimateMemory(tiny, 'f16', 1e6)).toThrow(/contextLength must be an integer from 1 to 4096/)
    expect(() => estimateMemory(tiny, 'f16', 0)).toThrow(/contextLength/)
  })
})

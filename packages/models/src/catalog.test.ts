import { describe, expect, it } from 'vitest'
import { catalog, findModel, shardFileNames } from './catalog.ts'

describe('catalog', () => {
  it('describes grok-2 and the tiny default with their variants', () => {
    expect(catalog.map((m) => m.id)).toEqual(['grok-2', 'grok-2-tiny'])
    expect(findModel('grok-2')!.variants.map((v) => v.id)).toEqual(['bf16', 'q8_0', 'q4_k_m', 'q2_k', 'tq1_0'])
    expect(findModel('grok-2-tiny')!.variants.map((v) => v.id)).toEqual(['f16', 'q8_0', 'q4_0'])
    expect(findModel('grok-3')).toBeUndefined()
  })

  it('sizes grok-2 variants from its parameter count: q2_k ~92 GiB, bf16 ~500 GiB', () => {
    const bytes = (id: string) => findModel('grok-2')!.variants.find((v) => v.id === id)!.bytes / 2 ** 30
    expect(bytes('q2_k')).toBeCloseTo(91.9, 0)
    expect(bytes('bf16')).toBeCloseTo(502, 0)
    expect(bytes('tq1_0')).toBeGreaterThan(50)
  })

  it('keeps every grok-2 shard under 2 GiB', () => {
    for (const v of findModel('grok-2')!.variants) expect(v.bytes / v.files.length).toBeLessThanOrEqual(2 * 2 ** 30)
  })

})

describe('shardFileNames', () => {
  it("names shards as llama.cpp's gguf-split does", () => {
    expect(shardFileNames('m-q8_0', 3)).toEqual(['m-q8_0-00001-of-00003.gguf', 'm-q8_0-00002-of-00003.gguf', 'm-q8_0-00003-of-00003.gguf'])
    expect(shardFileNames('m', 1)).toEqual(['m.gguf'])
  })
})

import { describe, expect, it } from 'vitest'
import { splitGguf } from './split.ts'
import { GgmlType, str, type GgufFile } from './types.ts'

const tensor = (name: string, bytes: number) => ({ name, dims: [bytes / 4], type: GgmlType.F32, data: new Uint8Array(bytes) })
const file: GgufFile = {
  metadata: [['general.architecture', str('grok')]],
  tensors: [tensor('a', 400), tensor('b', 400), tensor('c', 400), tensor('d', 400), tensor('e', 800), tensor('f', 400)],
}

describe('splitGguf', () => {
  it('keeps every tensor once, in order, spread by bytes', () => {
    const shards = splitGguf(file, 3)
    expect(shards.flatMap((s) => s.tensors.map((t) => t.name))).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    const bytes = shards.map((s) => s.tensors.reduce((n, t) => n + t.data.byteLength, 0))
    expect(bytes).toEqual([800, 800, 1200])
  })

  it("writes llama.cpp's split keys, and the model's metadata in the first shard only", () => {
    const shards = splitGguf(file, 2)
    expect(shards[0]!.metadata.map(([k, v]) => [k, v.value])).toEqual([
      ['general.architecture', 'grok'],
      ['split.no', 0],
      ['split.count', 2],
      ['split.tensors.count', 6],
    ])
    expect(shards[1]!.metadata.map(([k, v]) => [k, v.type, v.value])).toEqual([
      ['split.no', 2, 1],
      ['split.count', 2, 2],
      ['split.tensors.count', 5, 6],
    ])
  })

  it('gives each shard at least one tensor even when one tensor dominates', () => {
    const skewed = { ...file, tensors: [tensor('big', 4000), tensor('x', 4), tensor('y', 4)] }
    expect(splitGguf(skewed, 3).map((s) => s.tensors.length)).toEqual([1, 1, 1])
  })

  it('returns the file itself for one shard and rejects impossible counts', () => {
    expect(splitGguf(file, 1)).toEqual([file])
    expect(() => splitGguf(file, 7)).toThrow(/count must be an integer from 1 to 6/)
    expect(() => splitGguf(file, 0)).toThrow(/count must be/)
  })
})

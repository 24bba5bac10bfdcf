import { gguf } from '@huggingface/gguf'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GgmlType, GgufValueType, array, bool, f32, str, u32 } from './types.ts'
import { writeGguf } from './writer.ts'

const dir = await mkdtemp(join(tmpdir(), 'gguf-writer-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

async function parse(bytes: Uint8Array) {
  const path = join(dir, `${Math.random()}.gguf`)
  await writeFile(path, bytes)
  const parsed = await gguf(path, { allowLocalFile: true })
  // Its metadata type only knows well-known keys; ours are arbitrary.
  return { ...parsed, metadata: parsed.metadata as Record<string, unknown> }
}

describe('writeGguf', () => {
  const file = {
    metadata: [
      ['general.architecture', str('test')],
      ['test.count', u32(7)],
      ['test.ratio', f32(0.5)],
      ['test.flag', bool(true)],
      ['test.words', array(GgufValueType.STRING, ['a', 'Ġb', '日本'])],
      ['test.ids', array(GgufValueType.INT32, [1, -2, 3])],
    ] as const,
    tensors: [
      { name: 'a.weight', dims: [3], type: GgmlType.F32, data: new Uint8Array(12).fill(1) },
      { name: 'b.weight', dims: [4, 2], type: GgmlType.F16, data: new Uint8Array(16).fill(2) },
    ],
  }

  it('writes a GGUF v3 file that an independent parser reads back', async () => {
    const bytes = writeGguf(file)
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('GGUF')
    const parsed = await parse(bytes)
    expect(parsed.metadata.version).toBe(3)
    expect(parsed.metadata['test.count']).toBe(7)
    expect(parsed.metadata['test.ratio']).toBe(0.5)
    expect(parsed.metadata['test.flag']).toBe(true)
    expect(parsed.metadata['test.words']).toEqual(['a', 'Ġb', '日本'])
    expect(parsed.metadata['test.ids']).toEqual([1, -2, 3])
    expect(parsed.tensorInfos.map((t) => [t.name, t.shape.map(Number), t.dtype, Number(t.offset)])).toEqual([
      ['a.weight', [3], 0, 0],
      ['b.weight', [4, 2], 1, 32],
    ])
  })

  it('aligns tensor data and places it after the header', async () => {
    const bytes = writeGguf(file)
    const parsed = await parse(bytes)
    const start = Number(parsed.tensorDataOffset)
    expect(start % 32).toBe(0)
    expect([...bytes.subarray(start, start + 12)]).toEqual(new Array(12).fill(1))
    expect([...bytes.subarray(start + 32, start + 48)]).toEqual(new Array(16).fill(2))
    expect(bytes.byteLength).toBe(start + 64) // the last tensor is padded too, as ggml writes it
  })

  it('records a non-default alignment as general.alignment', async () => {
    const parsed = await parse(writeGguf({ ...file, alignment: 64 }))
    expect(parsed.metadata['general.alignment']).toBe(64)
    expect(Number(parsed.tensorDataOffset) % 64).toBe(0)
    expect(Number(parsed.tensorInfos[1]!.offset)).toBe(64)
  })
})

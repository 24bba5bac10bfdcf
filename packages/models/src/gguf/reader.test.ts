import { describe, expect, it } from 'vitest'
import { encodeTensor, fromHalf, toHalf } from './encode.ts'
import { readGguf, tensorValues } from './reader.ts'
import { GgmlType, GgufValueType, array, bool, f32, i32, str, u16, u32, u8, type GgufFile, type GgufValue } from './types.ts'
import { writeGguf } from './writer.ts'

const values = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61) * scale)

const metadata: Array<[string, GgufValue]> = [
  ['general.architecture', str('grok')],
  ['general.name', str('tiny ✓ ünïcode')],
  ['a.u8', u8(200)],
  ['a.u16', u16(65000)],
  ['a.u32', u32(4_000_000_000)],
  ['a.i32', i32(-7)],
  ['a.f32', f32(0.125)],
  ['a.bool', bool(true)],
  ['a.u64', { type: GgufValueType.UINT64, value: 2n ** 40n }],
  ['a.i64', { type: GgufValueType.INT64, value: -(2n ** 40n) }],
  ['a.f64', { type: GgufValueType.FLOAT64, value: Math.PI }],
  ['tokens', array(GgufValueType.STRING, ['<|pad|>', 'Ġthe', 'Ċ'])],
  ['types', array(GgufValueType.INT32, [3, 1, 1])],
  ['flags', array(GgufValueType.BOOL, [true, false])],
]

function file(alignment?: number): GgufFile {
  return {
    alignment,
    metadata,
    tensors: [
      { name: 'norm.weight', dims: [5], type: GgmlType.F32, data: encodeTensor(values(5), GgmlType.F32) },
      { name: 'proj.weight', dims: [7, 3], type: GgmlType.F16, data: encodeTensor(values(21, 3), GgmlType.F16) },
      { name: 'q8.weight', dims: [32, 2], type: GgmlType.Q8_0, data: encodeTensor(values(64), GgmlType.Q8_0) },
      { name: 'big.weight', dims: [64, 4, 2], type: GgmlType.F16, data: encodeTensor(values(512, 100), GgmlType.F16) },
    ],
  }
}

describe('readGguf', () => {
  it('reads back every metadata value the writer writes', () => {
    const parsed = readGguf(writeGguf(file()))
    expect(parsed.version).toBe(3)
    expect([...parsed.metadata.keys()]).toEqual(metadata.map(([k]) => k))
    for (const [key, value] of metadata) {
      const read = parsed.metadata.get(key)!
      expect(read.type, key).toBe(value.type)
      if (value.type === GgufValueType.FLOAT32) expect(read.value).toBe(Math.fround(value.value as number))
      else expect(read.value, key).toEqual(value.value)
    }
    expect(parsed.metadata.get('tokens')).toEqual({ type: GgufValueType.ARRAY, itemType: GgufValueType.STRING, value: ['<|pad|>', 'Ġthe', 'Ċ'] })
  })

  it('reads tensor infos with aligned absolute offsets, for the default and a custom alignment', () => {
    for (const alignment of [undefined, 64]) {
      const source = file(alignment)
      const bytes = writeGguf(source)
      const parsed = readGguf(bytes)
      expect(parsed.alignment).toBe(alignment ?? 32)
      expect(parsed.dataOffset % parsed.alignment).toBe(0)
      expect(parsed.tensors.map((t) => [t.name, t.dims, t.type])).toEqual(source.tensors.map((t) => [t.name, [...t.dims], t.type]))
      parsed.tensors.forEach((info, i) => {
        expect(info.offset % parsed.alignment).toBe(0)
        expect(bytes.subarray(info.offset, info.offset + source.tensors[i]!.data.byteLength)).toEqual(source.tensors[i]!.data)
      })
    }
  })

  it('gives F32 tensors back exactly and F16 tensors as the halves written', () => {
    const bytes = writeGguf(file())
    const [norm, proj, q8, big] = readGguf(bytes).tensors
    expect(tensorValues(bytes, norm!)).toEqual(values(5))
    expect(tensorValues(bytes, proj!)).toEqual(values(21, 3).map((v) => fromHalf(toHalf(v))))
    expect(tensorValues(bytes, big!)).toEqual(values(512, 100).map((v) => fromHalf(toHalf(v))))
    expect(() => tensorValues(bytes, q8!)).toThrow(/not F32 or F16/)
  })

  it('round-trips: read values, write them again, get the same bytes', () => {
    const bytes = writeGguf(file())
    const parsed = readGguf(bytes)
    const rebuilt: GgufFile = {
      metadata: [...parsed.metadata],
      tensors: parsed.tensors.map((info, i) => ({
        name: info.name,
        dims: info.dims,
        type: info.type as GgmlType,
        data: info.type === GgmlType.Q8_0 ? file().tensors[i]!.data : encodeTensor(tensorValues(bytes, info), info.type as GgmlType),
      })),
    }
    expect(writeGguf(rebuilt)).toEqual(bytes)
  })

  it('round-trips metadata larger than the writer\'s first 64 KiB buffer (a 4096-token vocabulary)', () => {
    const tokens = Array.from({ length: 20000 }, (_, i) => `token-${i}-Ġ`)
    const big: GgufFile = { ...file(), metadata: [...metadata, ['tokenizer.ggml.tokens', array(GgufValueType.STRING, tokens)], ['after', u32(7)]] }
    const parsed = readGguf(writeGguf(big))
    expect(parsed.metadata.get('tokenizer.ggml.tokens')!.value).toEqual(tokens)
    expect(parsed.metadata.get('after')!.value).toBe(7)
  })

  it('rejects files that are not GGUF or are cut short', () => {
    const bytes = writeGguf(file())
    expect(() => readGguf(new Uint8Array(16))).toThrow(/bad magic/)
    expect(() => readGguf(bytes.subarray(0, 100))).toThrow(/truncated/)
  })
})

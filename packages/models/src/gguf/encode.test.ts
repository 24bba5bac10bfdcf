import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { QK, encodeTensor, fromHalf, tensorBytes, toHalf } from './encode.ts'
import { GgmlType } from './types.ts'

describe('toHalf', () => {
  it('encodes known values exactly', () => {
    expect(toHalf(1)).toBe(0x3c00)
    expect(toHalf(-2)).toBe(0xc000)
    expect(toHalf(65504)).toBe(0x7bff)
    expect(toHalf(65520)).toBe(0x7c00) // rounds up to Inf
    expect(toHalf(2 ** -24)).toBe(0x0001) // smallest subnormal
    expect(toHalf(2 ** -26)).toBe(0)
    expect(toHalf(-0)).toBe(0x8000)
    expect(toHalf(Infinity)).toBe(0x7c00)
    expect(toHalf(NaN) & 0x7c00).toBe(0x7c00)
  })

  it('rounds ties to even', () => {
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00)
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02)
    expect(toHalf(3 * 2 ** -25)).toBe(0x0002) // subnormal tie
  })

  it('round-trips every half exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const exponent = (bits >>> 10) & 0x1f
      if (exponent === 0x1f && bits & 0x3ff) continue // NaN payloads
      expect(toHalf(fromHalf(bits))).toBe(bits)
    }
  })

  it('is within half a unit in the last place for normal values', () => {
    fc.assert(
      fc.property(fc.float({ min: Math.fround(-60000), max: Math.fround(60000), noNaN: true }), (x) => {
        if (Math.abs(x) < 2 ** -14) return
        expect(Math.abs(fromHalf(toHalf(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11)
      }),
    )
  })
})

/** Reads blocks back as ggml's dequantize_row_q8_0 / q4_0 do. */
function dequantize(bytes: Uint8Array, type: GgmlType): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out: number[] = []
  const blockBytes = tensorBytes(type, QK)
  for (let at = 0; at < bytes.byteLength; at += blockBytes) {
    const d = fromHalf(view.getUint16(at, true))
    if (type === GgmlType.Q8_0) for (let j = 0; j < QK; j++) out.push(d * view.getInt8(at + 2 + j))
    else {
      const block = new Array<number>(QK)
      for (let j = 0; j < QK / 2; j++) {
        block[j] = d * ((bytes[at + 2 + j]! & 0x0f) - 8)
        block[j + QK / 2] = d * ((bytes[at + 2 + j]! >> 4) - 8)
      }
      out.push(...block)
    }
  }
  return out
}

describe('encodeTensor', () => {
  const values = Float32Array.from({ length: 4 * QK }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)))

  it('sizes every type as ggml does', () => {
    for (const type of [GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0]) {
      expect(encodeTensor(values, type).byteLength).toBe(tensorBytes(type, values.length))
    }
    expect(tensorBytes(GgmlType.Q8_0, 32)).toBe(34)
    expect(tensorBytes(GgmlType.Q4_0, 32)).toBe(18)
  })

  it('quantizes to Q8_0 within half a step per block', () => {
    const restored = dequantize(encodeTensor(values, GgmlType.Q8_0), GgmlType.Q8_0)
    for (let b = 0; b < 4; b++) {
      const block = values.subarray(b * QK, (b + 1) * QK)
      const step = Math.max(...block.map(Math.abs)) / 127
      block.forEach((v, j) => expect(Math.abs(restored[b * QK + j]! - v)).toBeLessThanOrEqual(step * 0.5 + 1e-3 * Math.abs(v)))
    }
  })

  it('quantizes to Q4_0 within one step per block and keeps the largest value exact', () => {
    const restored = dequantize(encodeTensor(values, GgmlType.Q4_0), GgmlType.Q4_0)
    for (let b = 0; b < 4; b++) {
      const block = values.subarray(b * QK, (b + 1) * QK)
      const step = Math.max(...block.map(Math.abs)) / 8
      block.forEach((v, j) => expect(Math.abs(restored[b * QK + j]! - v)).toBeLessThanOrEqual(step * 1.01))
    }
  })

  it('rejects quantizing a length that is not whole blocks', () => {
    expect(() => encodeTensor(new Float32Array(33), GgmlType.Q8_0)).toThrow(/multiple of 32 values, got 33/)
  })
})

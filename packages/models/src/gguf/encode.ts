import { GgmlType } from './types.ts'

/** Values per quantization block for Q4_0 and Q8_0 (ggml's QK4_0 and QK8_0). */
export const QK = 32

/** Bytes needed for `count` values of a ggml type. */
export function tensorBytes(type: GgmlType, count: number): number {
  switch (type) {
    case GgmlType.F32: return count * 4
    case GgmlType.F16: return count * 2
    case GgmlType.Q8_0: return (count / QK) * (2 + QK)
    case GgmlType.Q4_0: return (count / QK) * (2 + QK / 2)
  }
}

/** Encodes f32 values as a ggml tensor of `type`; quantized types need rows that are whole blocks. */
export function encodeTensor(values: Float32Array, type: GgmlType): Uint8Array {
  switch (type) {
    case GgmlType.F32: return new Uint8Array(values.slice().buffer)
    case GgmlType.F16: return encodeF16(values)
    case GgmlType.Q8_0: return quantizeQ8_0(values)
    case GgmlType.Q4_0: return quantizeQ4_0(values)
  }
}

function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2)
  const view = new DataView(out.buffer)
  values.forEach((v, i) => view.setUint16(i * 2, toHalf(v), true))
  return out
}

const scratch = new DataView(new ArrayBuffer(4))

/** IEEE 754 binary32 → binary16 bits, rounding to nearest even, as ggml's reference conversion does. */
export function toHalf(value: number): number {
  scratch.setFloat32(0, value)
  const bits = scratch.getUint32(0)
  const sign = (bits >>> 16) & 0x8000
  const exponent = (bits >>> 23) & 0xff
  let mantissa = bits & 0x7fffff

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0) // Inf or NaN
  const e = exponent - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00 // overflow to Inf
  if (e <= 0) {
    if (e < -10) return sign // underflow to zero
    mantissa |= 0x800000
    const shift = 14 - e
    const half = mantissa >>> shift
    const rest = mantissa & ((1 << shift) - 1)
    const midpoint = 1 << (shift - 1)
    return sign | (rest > midpoint || (rest === midpoint && (half & 1)) ? half + 1 : half)
  }
  const rest = mantissa & 0x1fff
  const half = (e << 10) | (mantissa >>> 13)
  // Rounding up may carry into the exponent, up to Inf: still the correctly rounded result.
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half)
}

/** binary16 bits → number. */
export function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >>> 10) & 0x1f
  const mantissa = bits & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

function blocks(values: Float32Array): number {
  if (values.length % QK !== 0) throw new RangeError(`quantized tensors need a multiple of ${QK} values, got ${values.length}`)
  return values.length / QK
}

/** Q8_0: per block of 32, an f16 scale d = max|x|/127 and 32 int8 quants x/d. */
function quantizeQ8_0(values: Float32Array): Uint8Array {
  const n = blocks(values)
  const out = new Uint8Array(n * (2 + QK))
  const view = new DataView(out.buffer)
  for (let b = 0; b < n; b++) {
    const x = values.subarray(b * QK, (b + 1) * QK)
    let amax = 0
    for (const v of x) amax = Math.max(amax, Math.abs(v))
    const d = amax / 127
    const id = d ? 1 / d : 0
    const at = b * (2 + QK)
    view.setUint16(at, toHalf(d), true)
    for (let j = 0; j < QK; j++) view.setInt8(at + 2 + j, roundHalfAway(x[j]! * id))
  }
  return out
}

/** Q4_0: per block of 32, an f16 scale d = max/-8 (max: the value of largest magnitude) and 4-bit quants x/d + 8. */
function quantizeQ4_0(values: Float32Array): Uint8Array {
  const n = blocks(values)
  const out = new Uint8Array(n * (2 + QK / 2))
  const view = new DataView(out.buffer)
  for (let b = 0; b < n; b++) {
    const x = values.subarray(b * QK, (b + 1) * QK)
    let amax = 0
    let max = 0
    for (const v of x) {
      if (Math.abs(v) > amax) {
        amax = Math.abs(v)
        max = v
      }
    }
    const d = max / -8
    const id = d ? 1 / d : 0
    const at = b * (2 + QK / 2)
    view.setUint16(at, toHalf(d), true)
    for (let j = 0; j < QK / 2; j++) {
      const lo = Math.min(15, Math.trunc(x[j]! * id + 8.5))
      const hi = Math.min(15, Math.trunc(x[QK / 2 + j]! * id + 8.5))
      out[at + 2 + j] = lo | (hi << 4)
    }
  }
  return out
}

/** C's roundf: halves round away from zero (Math.round rounds them up). */
function roundHalfAway(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v))
}

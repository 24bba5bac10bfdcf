import { GgufValueType, type GgufFile, type GgufScalarType, type GgufValue } from './types.ts'

const DEFAULT_ALIGNMENT = 32
const MAGIC = 0x46554747 // "GGUF" read as a little-endian u32
const VERSION = 3

/** Serialises a GGUF v3 file: header, metadata, tensor infos, padding, aligned tensor data. */
export function writeGguf(file: GgufFile): Uint8Array {
  const alignment = file.alignment ?? DEFAULT_ALIGNMENT
  const metadata = [...file.metadata]
  if (alignment !== DEFAULT_ALIGNMENT && !metadata.some(([key]) => key === 'general.alignment')) {
    metadata.push(['general.alignment', { type: GgufValueType.UINT32, value: alignment }])
  }

  const head = new ByteWriter()
  head.u32(MAGIC)
  head.u32(VERSION)
  head.u64(file.tensors.length)
  head.u64(metadata.length)
  for (const [key, value] of metadata) {
    head.string(key)
    head.value(value)
  }

  let offset = 0
  const offsets: number[] = []
  for (const tensor of file.tensors) {
    offsets.push(offset)
    offset = alignUp(offset + tensor.data.byteLength, alignment)
  }
  file.tensors.forEach((tensor, index) => {
    head.string(tensor.name)
    head.u32(tensor.dims.length)
    for (const dim of tensor.dims) head.u64(dim)
    head.u32(tensor.type)
    head.u64(offsets[index]!)
  })

  const dataStart = alignUp(head.length, alignment)
  const out = new Uint8Array(dataStart + offset)
  out.set(head.bytes(), 0)
  file.tensors.forEach((tensor, index) => out.set(tensor.data, dataStart + offsets[index]!))
  return out
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment
}

/** A growable little-endian buffer. */
class ByteWriter {
  #buffer = new Uint8Array(1 << 16)
  #view = new DataView(this.#buffer.buffer)
  length = 0
  static readonly #encoder = new TextEncoder()

  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.length)
  }

  #reserve(n: number): number {
    if (this.length + n > this.#buffer.byteLength) {
      const next = new Uint8Array(Math.max(this.#buffer.byteLength * 2, this.length + n))
      next.set(this.bytes())
      this.#buffer = next
      this.#view = new DataView(next.buffer)
    }
    const at = this.length
    this.length += n
    return at
  }

  u8(v: number) { const at = this.#reserve(1); this.#view.setUint8(at, v) }
  i8(v: number) { const at = this.#reserve(1); this.#view.setInt8(at, v) }
  u16(v: number) { const at = this.#reserve(2); this.#view.setUint16(at, v, true) }
  i16(v: number) { const at = this.#reserve(2); this.#view.setInt16(at, v, true) }
  u32(v: number) { const at = this.#reserve(4); this.#view.setUint32(at, v, true) }
  i32(v: number) { const at = this.#reserve(4); this.#view.setInt32(at, v, true) }
  f32(v: number) { const at = this.#reserve(4); this.#view.setFloat32(at, v, true) }
  f64(v: number) { const at = this.#reserve(8); this.#view.setFloat64(at, v, true) }
  u64(v: number | bigint) { const at = this.#reserve(8); this.#view.setBigUint64(at, BigInt(v), true) }
  i64(v: number | bigint) { const at = this.#reserve(8); this.#view.setBigInt64(at, BigInt(v), true) }

  string(s: string) {
    const encoded = ByteWriter.#encoder.encode(s)
    this.u64(encoded.byteLength)
    const at = this.#reserve(encoded.byteLength) // before reading this.#buffer: reserving may replace it
    this.#buffer.set(encoded, at)
  }

  scalar(type: GgufScalarType, v: number | bigint | boolean | string) {
    switch (type) {
      case GgufValueType.UINT8: return this.u8(Number(v))
      case GgufValueType.INT8: return this.i8(Number(v))
      case GgufValueType.UINT16: return this.u16(Number(v))
      case GgufValueType.INT16: return this.i16(Number(v))
      case GgufValueType.UINT32: return this.u32(Number(v))
      case GgufValueType.INT32: return this.i32(Number(v))
      case GgufValueType.FLOAT32: return this.f32(Number(v))
      case GgufValueType.FLOAT64: return this.f64(Number(v))
      case GgufValueType.UINT64: return this.u64(v as number | bigint)
      case GgufValueType.INT64: return this.i64(v as number | bigint)
      case GgufValueType.BOOL: return this.u8(v ? 1 : 0)
      case GgufValueType.STRING: return this.string(String(v))
    }
  }

  value(value: GgufValue) {
    this.u32(value.type)
    if (value.type === GgufValueType.ARRAY) {
      this.u32(value.itemType)
      this.u64(value.value.length)
      for (const item of value.value) this.scalar(value.itemType, item)
    } else {
      this.scalar(value.type, value.value)
    }
  }
}

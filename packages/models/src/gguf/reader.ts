import { fromHalf } from './encode.ts'
import { GgmlType, GgufValueType, type GgufScalarType, type GgufValue } from './types.ts'

const MAGIC = 0x46554747 // "GGUF" read as a little-endian u32
const DEFAULT_ALIGNMENT = 32

export interface GgufTensorInfo {
  name: string
  /** ggml order: ne0 first. */
  dims: number[]
  type: number
  /** Byte offset of the tensor's data from the start of the file. */
  offset: number
}

export interface ParsedGguf {
  version: number
  metadata: Map<string, GgufValue>
  tensors: GgufTensorInfo[]
  alignment: number
  /** Byte offset where tensor data starts. */
  dataOffset: number
}

/** Parses a GGUF v2/v3 header: metadata and tensor infos (the tensor data stays in `bytes`). */
export function readGguf(bytes: Uint8Array): ParsedGguf {
  const r = new ByteReader(bytes)
  if (r.u32() !== MAGIC) throw new Error('not a GGUF file (bad magic)')
  const version = r.u32()
  if (version < 2 || version > 3) throw new Error(`unsupported GGUF version ${version}`)
  const tensorCount = r.count()
  const kvCount = r.count()
  const metadata = new Map<string, GgufValue>()
  for (let i = 0; i < kvCount; i++) {
    const key = r.string()
    metadata.set(key, r.value())
  }
  const infos: Array<Omit<GgufTensorInfo, 'offset'> & { relative: number }> = []
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string()
    const nDims = r.u32()
    const dims = Array.from({ length: nDims }, () => r.count())
    const type = r.u32()
    infos.push({ name, dims, type, relative: r.count() })
  }
  const alignmentValue = metadata.get('general.alignment')?.value
  const alignment = typeof alignmentValue === 'number' ? alignmentValue : DEFAULT_ALIGNMENT
  const dataOffset = Math.ceil(r.at / alignment) * alignment
  const tensors = infos.map(({ relative, ...info }) => ({ ...info, offset: dataOffset + relative }))
  return { version, metadata, tensors, alignment, dataOffset }
}

/** A tensor's values as float32; F32 and F16 only (quantized types are written, never read back here). */
export function tensorValues(bytes: Uint8Array, info: GgufTensorInfo): Float32Array {
  const count = info.dims.reduce((a, b) => a * b, 1)
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.offset)
  const out = new Float32Array(count)
  if (info.type === GgmlType.F32) {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true)
  } else if (info.type === GgmlType.F16) {
    for (let i = 0; i < count; i++) out[i] = fromHalf(view.getUint16(i * 2, true))
  } else {
    throw new Error(`tensor ${info.name}: ggml type ${info.type} is not F32 or F16`)
  }
  return out
}

class ByteReader {
  at = 0
  readonly #view: DataView
  static readonly #decoder = new TextDecoder('utf-8', { fatal: true })

  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  #take(n: number): number {
    if (this.at + n > this.#bytes.byteLength) throw new RangeError(`GGUF truncated: need ${n} bytes at ${this.at}, file has ${this.#bytes.byteLength}`)
    const at = this.at
    this.at += n
    return at
  }

  u32() { return this.#view.getUint32(this.#take(4), true) }
  u64() { return this.#view.getBigUint64(this.#take(8), true) }

  /** A u64 count or offset, as a number (GGUF files here stay far below 2^53 bytes). */
  count(): number {
    const v = this.u64()
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`GGUF count ${v} is too large`)
    return Number(v)
  }

  string(): string {
    const length = this.count()
    const at = this.#take(length)
    return ByteReader.#decoder.decode(this.#bytes.subarray(at, at + length))
  }

  scalar(type: GgufScalarType): number | bigint | boolean | string {
    const v = this.#view
    switch (type) {
      case GgufValueType.UINT8: return v.getUint8(this.#take(1))
      case GgufValueType.INT8: return v.getInt8(this.#take(1))
      case GgufValueType.UINT16: return v.getUint16(this.#take(2), true)
      case GgufValueType.INT16: return v.getInt16(this.#take(2), true)
      case GgufValueType.UINT32: return v.getUint32(this.#take(4), true)
      case GgufValueType.INT32: return v.getInt32(this.#take(4), true)
      case GgufValueType.FLOAT32: return v.getFloat32(this.#take(4), true)
      case GgufValueType.FLOAT64: return v.getFloat64(this.#take(8), true)
      case GgufValueType.UINT64: return v.getBigUint64(this.#take(8), true)
      case GgufValueType.INT64: return v.getBigInt64(this.#take(8), true)
      case GgufValueType.BOOL: return v.getUint8(this.#take(1)) !== 0
      case GgufValueType.STRING: return this.string()
      default: throw new Error(`unknown GGUF value type ${String(type)}`)
    }
  }

  value(): GgufValue {
    const type = this.u32() as GgufValueType
    if (type === GgufValueType.ARRAY) {
      const itemType = this.u32() as GgufScalarType
      if (itemType === (GgufValueType.ARRAY as number)) throw new Error('nested GGUF arrays are not supported')
      const length = this.count()
      const value = Array.from({ length }, () => this.scalar(itemType))
      return { type, itemType, value }
    }
    return { type, value: this.scalar(type) }
  }
}

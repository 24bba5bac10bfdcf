/** GGUF metadata value types, as numbered in the GGUF v3 spec. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType]

export type GgufScalarType = Exclude<GgufValueType, typeof GgufValueType.ARRAY>

export type GgufValue =
  | { type: GgufScalarType; value: number | bigint | boolean | string }
  | { type: typeof GgufValueType.ARRAY; itemType: GgufScalarType; value: ReadonlyArray<number | bigint | boolean | string> }

/** ggml tensor types this package writes (a subset of ggml's enum, same numbers). */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q8_0: 8,
} as const
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType]

export interface GgufTensor {
  name: string
  /** ggml order: ne0 (the contiguous dimension) first, the reverse of a row-major shape. */
  dims: readonly number[]
  type: GgmlType
  data: Uint8Array
}

export interface GgufFile {
  metadata: ReadonlyArray<readonly [key: string, value: GgufValue]>
  tensors: readonly GgufTensor[]
  /** Alignment of tensor data; written as `general.alignment` when not the default 32. */
  alignment?: number
}

export const u8 = (value: number): GgufValue => ({ type: GgufValueType.UINT8, value })
export const u16 = (value: number): GgufValue => ({ type: GgufValueType.UINT16, value })
export const u32 = (value: number): GgufValue => ({ type: GgufValueType.UINT32, value })
export const i32 = (value: number): GgufValue => ({ type: GgufValueType.INT32, value })
export const f32 = (value: number): GgufValue => ({ type: GgufValueType.FLOAT32, value })
export const bool = (value: boolean): GgufValue => ({ type: GgufValueType.BOOL, value })
export const str = (value: string): GgufValue => ({ type: GgufValueType.STRING, value })
export const array = (itemType: GgufScalarType, value: ReadonlyArray<number | string | boolean>): GgufValue => ({
  type: GgufValueType.ARRAY,
  itemType,
  value,
})

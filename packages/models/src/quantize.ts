import { encodeTensor } from './gguf/encode.ts'
import { readGguf, tensorValues } from './gguf/reader.ts'
import { GgmlType, u32, type GgufFile } from './gguf/types.ts'
import type { Quantization } from './catalog.ts'

export type TinyQuantization = Extract<Quantization, 'f16' | 'q8_0' | 'q4_0'>

/** llama.cpp's `general.file_type` (LLAMA_FTYPE_MOSTLY_*) and the ggml type of its matrices. */
export const FILE_TYPES: Record<TinyQuantization, { fileType: number; matrix: GgmlType }> = {
  f16: { fileType: 1, matrix: GgmlType.F16 },
  q8_0: { fileType: 7, matrix: GgmlType.Q8_0 },
  q4_0: { fileType: 2, matrix: GgmlType.Q4_0 },
}

/** An F16/F32 GGUF's metadata and tensors as float32: decoded once, encoded as any number of variants. */
export interface DecodedGguf {
  metadata: GgufFile['metadata']
  tensors: Array<{ name: string; dims: number[]; values: Float32Array }>
}

export function decodeGguf(bytes: Uint8Array): DecodedGguf {
  const source = readGguf(bytes)
  return {
    metadata: [...source.metadata],
    tensors: source.tensors.map((info) => ({ name: info.name, dims: info.dims, values: tensorValues(bytes, info) })),
  }
}

/**
 * A decoded GGUF encoded as a variant: every matrix in the variant's type, vectors (norms) kept
 * F32, as llama.cpp's quantizer does; the metadata as it was, but for the file type.
 */
export function quantizeGguf(source: DecodedGguf, quantization: TinyQuantization): GgufFile {
  const { fileType, matrix } = FILE_TYPES[quantization]
  const metadata = source.metadata.map(([key, value]) => [key, key === 'general.file_type' ? u32(fileType) : value] as const)
  const tensors = source.tensors.map(({ name, dims, values }) => {
    const type = dims.length === 1 ? GgmlType.F32 : matrix
    return { name, dims, type, data: encodeTensor(values, type) }
  })
  return { metadata, tensors }
}

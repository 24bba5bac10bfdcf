import { i32, u16, type GgufFile, type GgufTensor } from './types.ts'

/**
 * Splits a GGUF into `count` shards the way llama.cpp's gguf-split does: every shard is a valid
 * GGUF carrying `split.no`, `split.count` and `split.tensors.count`; the first also carries all
 * other metadata. Tensors keep their order and are spread so the shards hold similar bytes.
 */
export function splitGguf(file: GgufFile, count: number): GgufFile[] {
  if (!Number.isInteger(count) || count < 1 || count > file.tensors.length) {
    throw new RangeError(`count must be an integer from 1 to ${file.tensors.length} (the tensor count), got ${count}`)
  }
  if (count === 1) return [file]
  const groups = partitionByBytes(file.tensors, count)
  return groups.map((tensors, index) => ({
    alignment: file.alignment,
    tensors,
    metadata: [
      ...(index === 0 ? file.metadata : []),
      ['split.no', u16(index)],
      ['split.count', u16(count)],
      ['split.tensors.count', i32(file.tensors.length)],
    ],
  }))
}

/** Contiguous groups, each closed once it reaches its share of the remaining bytes. */
function partitionByBytes(tensors: readonly GgufTensor[], count: number): GgufTensor[][] {
  const groups: GgufTensor[][] = []
  let remainingBytes = tensors.reduce((sum, t) => sum + t.data.byteLength, 0)
  let next = 0
  for (let group = 0; group < count; group++) {
    const groupsLeft = count - group
    const target = remainingBytes / groupsLeft
    const current: GgufTensor[] = []
    let bytes = 0
    // Leave at least one tensor for each group still to fill.
    while (next < tensors.length - (groupsLeft - 1) && (current.length === 0 || bytes + tensors[next]!.data.byteLength / 2 <= target || groupsLeft === 1)) {
      bytes += tensors[next]!.data.byteLength
      current.push(tensors[next++]!)
    }
    remainingBytes -= bytes
    groups.push(current)
  }
  return groups
}

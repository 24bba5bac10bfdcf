import type { ModelDescriptor } from './catalog.ts'

export interface MemoryEstimate {
  weightsBytes: number
  /** K and V for every layer and position, f16. */
  kvCacheBytes: number
  /** Activations and logits for one micro-batch: llama.cpp's compute buffers, approximately. */
  computeBytes: number
  totalBytes: number
}

const KV_BYTES_PER_ELEMENT = 2
const MICRO_BATCH = 512
const F32 = 4

/** Memory a variant needs to run with `contextLength` tokens of context: weights + KV cache + compute buffers. */
export function estimateMemory(model: ModelDescriptor, variantId: string, contextLength: number): MemoryEstimate {
  const variant = model.variants.find((v) => v.id === variantId)
  if (!variant) throw new RangeError(`${model.id} has no variant "${variantId}" (has ${model.variants.map((v) => v.id).join(', ')})`)
  if (!Number.isInteger(contextLength) || contextLength < 1 || contextLength > model.architecture.contextLength) {
    throw new RangeError(`contextLength must be an integer from 1 to ${model.architecture.contextLength}, got ${contextLength}`)
  }
  const arch = model.architecture
  const kvCacheBytes = 2 * arch.layers * arch.kvHeads * arch.headDim * contextLength * KV_BYTES_PER_ELEMENT
  const widestActivation = Math.max(arch.denseFfn, arch.expertFfn * arch.expertsUsed, arch.heads * Math.min(contextLength, MICRO_BATCH))
  const computeBytes = MICRO_BATCH * (arch.vocab + 4 * arch.embedding + 2 * widestActivation) * F32
  return {
    weightsBytes: variant.bytes,
    kvCacheBytes,
    computeBytes,
    totalBytes: variant.bytes + kvCacheBytes + computeBytes,
  }
}

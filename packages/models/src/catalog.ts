import type { GrokArchitecture } from './architecture.ts'
import { parameterCount } from './architecture.ts'

export type Quantization = 'bf16' | 'f16' | 'q8_0' | 'q4_0' | 'q4_k_m' | 'q2_k' | 'tq1_0'
export type ModelFormat = 'gguf' | 'mlc'

/**
 * Average bits per weight of each quantization as llama.cpp lays it out. Block formats are
 * exact (Q8_0: 34 bytes per 32 weights); k-quant mixes are typical figures for large MoE builds.
 */
export const BITS_PER_WEIGHT: Record<Quantization, number> = {
  bf16: 16,
  f16: 16,
  q8_0: 8.5,
  q4_0: 4.5,
  q4_k_m: 4.85,
  q2_k: 2.93,
  tq1_0: 1.69,
}

export interface ModelVariant {
  id: string
  quantization: Quantization
  format: ModelFormat
  /** Shard file names, in order: one file, or llama.cpp's `-0000k-of-0000n.gguf` split. */
  files: string[]
  /** Weight bytes, estimated from the parameter count; a manifest has the exact file sizes. */
  bytes: number
}

export interface ModelDescriptor {
  id: string
  description: string
  architecture: GrokArchitecture
  variants: ModelVariant[]
}

/** `name-00001-of-00003.gguf`, … as llama.cpp's gguf-split names them; one shard keeps `name.gguf`. */
export function shardFileNames(name: string, count: number): string[] {
  if (count === 1) return [`${name}.gguf`]
  const pad = (n: number) => String(n).padStart(5, '0')
  return Array.from({ length: count }, (_, i) => `${name}-${pad(i + 1)}-of-${pad(count)}.gguf`)
}

function variant(modelId: string, arch: GrokArchitecture, quantization: Quantization, shards: number): ModelVariant {
  const name = quantization === 'f16' && shards === 1 ? modelId : `${modelId}-${quantization}`
  return {
    id: quantization,
    quantization,
    format: 'gguf',
    files: shardFileNames(name, shards),
    bytes: Math.round((parameterCount(arch).total * BITS_PER_WEIGHT[quantization]) / 8),
  }
}

const GiB = 2 ** 30

/** Shard count that keeps every shard under `maxBytes` (browsers and CDNs handle ~2 GiB files badly). */
function shardsFor(arch: GrokArchitecture, quantization: Quantization, maxBytes = 2 * GiB): number {
  return Math.ceil((parameterCount(arch).total * BITS_PER_WEIGHT[quantization]) / 8 / maxBytes)
}

/** xai-org/grok-2, as its config and llama.cpp's `grok` loader describe it. */
export const GROK_2: GrokArchitecture = {
  layers: 64,
  embedding: 8192,
  heads: 64,
  kvHeads: 8,
  headDim: 128,
  denseFfn: 32768,
  experts: 8,
  expertsUsed: 2,
  expertFfn: 16384,
  vocab: 131072,
  contextLength: 131072,
  ropeFreqBase: 208533496,
  rmsEps: 1e-5,
  attnLogitSoftcap: 30,
  routerLogitSoftcap: 30,
  finalLogitSoftcap: 50,
  embeddingScale: 90.50966799187809,
  logitScale: 0.5,
  attnOutputScale: 0.08838834764831845,
}

/**
 * The same architecture at toy size, trained (packages/models/trained, `npm run model:train`): every
 * path runs it on any machine and in every test. Must equal packages/models/train/config.json.
 */
export const GROK_2_TINY: GrokArchitecture = {
  layers: 4,
  embedding: 256,
  heads: 4,
  kvHeads: 2,
  headDim: 64,
  denseFfn: 512,
  experts: 8,
  expertsUsed: 2,
  expertFfn: 128,
  vocab: 4096,
  contextLength: 4096,
  ropeFreqBase: 10000,
  rmsEps: 1e-5,
  attnLogitSoftcap: 30,
  routerLogitSoftcap: 30,
  finalLogitSoftcap: 50,
  embeddingScale: 16,
  logitScale: 0.5,
  attnOutputScale: 0.125,
}

export const catalog: readonly ModelDescriptor[] = [
  {
    id: 'grok-2',
    description: 'xAI Grok-2: ~270B-parameter mixture of experts (8 experts, 2 active, plus a dense residual MLP).',
    architecture: GROK_2,
    variants: (['bf16', 'q8_0', 'q4_k_m', 'q2_k', 'tq1_0'] as const).map((q) => variant('grok-2', GROK_2, q, shardsFor(GROK_2, q))),
  },
  {
    id: 'grok-2-tiny',
    description: 'Grok-2 architecture at toy size (7.6M parameters), trained on English definitions, examples and fortunes; the embedded default.',
    architecture: GROK_2_TINY,
    variants: [variant('grok-2-tiny', GROK_2_TINY, 'f16', 1), variant('grok-2-tiny', GROK_2_TINY, 'q8_0', 3), variant('grok-2-tiny', GROK_2_TINY, 'q4_0', 2)],
  },
]

export function findModel(id: string): ModelDescriptor | undefined {
  return catalog.find((model) => model.id === id)
}

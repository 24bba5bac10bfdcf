import { elements, type GrokArchitecture } from './architecture.ts'
import type { GgufFile } from './gguf/types.ts'
import { grokGguf } from './grok-gguf.ts'
import type { TinyQuantization } from './quantize.ts'
import { seededRandom } from './random.ts'
import { tinyVocabulary } from './tokenizer.ts'

/** The smallest Grok-2 that runs: what the random-weight builder makes unless given another size. */
export const GROK_2_RANDOM_TINY: GrokArchitecture = {
  layers: 4,
  embedding: 128,
  heads: 4,
  kvHeads: 2,
  headDim: 32,
  denseFfn: 256,
  experts: 8,
  expertsUsed: 2,
  expertFfn: 128,
  vocab: 293,
  contextLength: 4096,
  ropeFreqBase: 10000,
  rmsEps: 1e-5,
  attnLogitSoftcap: 30,
  routerLogitSoftcap: 30,
  finalLogitSoftcap: 50,
  embeddingScale: Math.sqrt(128),
  logitScale: 0.5,
  attnOutputScale: 1 / Math.sqrt(32),
}

export interface RandomGrok2Options {
  seed?: number
  quantization?: TinyQuantization
  /** Another size of the same architecture, e.g. a wider model for benchmarks; its vocab must stay the byte-level one's. */
  architecture?: GrokArchitecture
  name?: string
}

export const DEFAULT_RANDOM_SEED = 42
const INIT_STD = 0.02

/**
 * A Grok-2 of any size with seeded random weights, for benchmarks where only speed matters (the
 * embedded tiny model is trained: packages/models/trained). llama.cpp's `grok` architecture with
 * the byte-level vocabulary; the same seed gives the same weights in every quantization, and the same bytes.
 */
export function buildRandomGrok2({
  seed = DEFAULT_RANDOM_SEED,
  quantization = 'f16',
  architecture: arch = GROK_2_RANDOM_TINY,
  name = 'grok-2-random',
}: RandomGrok2Options = {}): GgufFile {
  const random = seededRandom(seed)
  // Drawn in file order, so the same seed gives the same weights in every quantization.
  const values = ({ dims }: { dims: number[] }) => {
    const out = new Float32Array(elements(dims))
    const isNorm = dims.length === 1
    for (let i = 0; i < out.length; i++) out[i] = isNorm ? 1 : random.normal(INIT_STD)
    return out
  }
  return grokGguf({
    architecture: arch,
    name,
    description: `Grok-2 architecture at toy size, random weights (seed ${seed})`,
    vocabulary: tinyVocabulary(),
    values,
    quantization,
  })
}

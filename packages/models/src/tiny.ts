import { elements, tensorLayout, type GrokArchitecture } from './architecture.ts'
import { GROK_2_TINY } from './catalog.ts'
import type { Quantization } from './catalog.ts'
import { encodeTensor } from './gguf/encode.ts'
import { GgmlType, GgufValueType, array, bool, f32, str, u32, type GgufFile, type GgufValue } from './gguf/types.ts'
import { seededRandom } from './random.ts'
import { GROK_2_CHAT_TEMPLATE, tinyVocabulary } from './tokenizer.ts'

export type TinyQuantization = Extract<Quantization, 'f16' | 'q8_0' | 'q4_0'>

export interface TinyOptions {
  seed?: number
  quantization?: TinyQuantization
  /** Another size of the same architecture, e.g. a wider model for benchmarks; its vocab must stay the tiny one's. */
  architecture?: GrokArchitecture
  name?: string
}

export const DEFAULT_TINY_SEED = 42
const INIT_STD = 0.02

/** llama.cpp's `general.file_type` (LLAMA_FTYPE_MOSTLY_*) and the ggml type of its matrices. */
const FILE_TYPES: Record<TinyQuantization, { fileType: number; matrix: GgmlType }> = {
  f16: { fileType: 1, matrix: GgmlType.F16 },
  q8_0: { fileType: 7, matrix: GgmlType.Q8_0 },
  q4_0: { fileType: 2, matrix: GgmlType.Q4_0 },
}

/**
 * The tiny Grok-2 as a GGUF: llama.cpp's `grok` architecture at toy size with seeded random
 * weights. The same seed gives the same weights in every quantization, and the same bytes.
 */
export function buildTinyGrok2({
  seed = DEFAULT_TINY_SEED,
  quantization = 'f16',
  architecture: arch = GROK_2_TINY,
  name = 'grok-2-tiny',
}: TinyOptions = {}): GgufFile {
  const vocab = tinyVocabulary()
  if (vocab.tokens.length !== arch.vocab) throw new Error(`tiny vocabulary has ${vocab.tokens.length} tokens, architecture says ${arch.vocab}`)
  const { fileType, matrix } = FILE_TYPES[quantization]
  const random = seededRandom(seed)

  const tensors = tensorLayout(arch).map(({ name, dims }) => {
    const values = new Float32Array(elements(dims))
    const isNorm = dims.length === 1
    for (let i = 0; i < values.length; i++) values[i] = isNorm ? 1 : random.normal(INIT_STD)
    const type = isNorm ? GgmlType.F32 : matrix
    return { name, dims, type, data: encodeTensor(values, type) }
  })

  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', str('grok')],
    ['general.name', str(name)],
    ['general.description', str(`Grok-2 architecture at toy size, random weights (seed ${seed})`)],
    ['general.file_type', u32(fileType)],
    ['general.quantization_version', u32(2)],
    ['grok.context_length', u32(arch.contextLength)],
    ['grok.embedding_length', u32(arch.embedding)],
    ['grok.block_count', u32(arch.layers)],
    ['grok.feed_forward_length', u32(arch.denseFfn)],
    ['grok.expert_feed_forward_length', u32(arch.expertFfn)],
    ['grok.expert_count', u32(arch.experts)],
    ['grok.expert_used_count', u32(arch.expertsUsed)],
    ['grok.attention.head_count', u32(arch.heads)],
    ['grok.attention.head_count_kv', u32(arch.kvHeads)],
    ['grok.attention.layer_norm_rms_epsilon', f32(arch.rmsEps)],
    ['grok.rope.dimension_count', u32(arch.headDim)],
    ['grok.rope.freq_base', f32(arch.ropeFreqBase)],
    ['grok.attn_logit_softcapping', f32(arch.attnLogitSoftcap)],
    ['grok.router_logit_softcapping', f32(arch.routerLogitSoftcap)],
    ['grok.final_logit_softcapping', f32(arch.finalLogitSoftcap)],
    ['grok.attention.output_scale', f32(arch.attnOutputScale)],
    ['grok.embedding_scale', f32(arch.embeddingScale)],
    ['grok.logit_scale', f32(arch.logitScale)],
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str('grok-2')],
    ['tokenizer.ggml.tokens', array(GgufValueType.STRING, vocab.tokens)],
    ['tokenizer.ggml.token_type', array(GgufValueType.INT32, vocab.types)],
    ['tokenizer.ggml.merges', array(GgufValueType.STRING, vocab.merges)],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
    ['tokenizer.ggml.padding_token_id', u32(vocab.padId)],
    ['tokenizer.ggml.add_bos_token', bool(false)],
    ['tokenizer.chat_template', str(GROK_2_CHAT_TEMPLATE)],
  ]
  return { metadata, tensors }
}

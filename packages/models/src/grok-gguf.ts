import { elements, tensorLayout, type GrokArchitecture, type TensorShape } from './architecture.ts'
import { encodeTensor } from './gguf/encode.ts'
import { GgmlType, GgufValueType, array, bool, f32, str, u32, type GgufFile, type GgufValue } from './gguf/types.ts'
import { FILE_TYPES, type TinyQuantization } from './quantize.ts'
import { GROK_2_CHAT_TEMPLATE, type ByteLevelVocabulary } from './tokenizer.ts'

export interface GrokGgufOptions {
  architecture: GrokArchitecture
  name: string
  description: string
  vocabulary: ByteLevelVocabulary
  /** Every tensor of `tensorLayout(architecture)`, in order, as float32 values. */
  values: (tensor: TensorShape) => Float32Array
  /** The type of the matrices; norms are always F32. */
  quantization?: TinyQuantization
}

/**
 * A GGUF llama.cpp's `grok` loader runs: the architecture's numbers, a byte-level BPE vocabulary
 * with `<|separator|>` as EOS, Grok-2's chat template, and the weights.
 */
export function grokGguf({ architecture: arch, name, description, vocabulary: vocab, values, quantization = 'f16' }: GrokGgufOptions): GgufFile {
  if (vocab.tokens.length !== arch.vocab) throw new Error(`the vocabulary has ${vocab.tokens.length} tokens, architecture says ${arch.vocab}`)
  const { fileType, matrix } = FILE_TYPES[quantization]
  const tensors = tensorLayout(arch).map((shape) => {
    const data = values(shape)
    if (data.length !== elements(shape.dims)) throw new Error(`${shape.name}: ${data.length} values for ${shape.dims.join('×')}`)
    const type = shape.dims.length === 1 ? GgmlType.F32 : matrix
    return { name: shape.name, dims: shape.dims, type, data: encodeTensor(data, type) }
  })
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', str('grok')],
    ['general.name', str(name)],
    ['general.description', str(description)],
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

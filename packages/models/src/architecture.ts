/** The numbers that define a model of llama.cpp's `grok` architecture, Grok-2's and its tiny twin's. */
export interface GrokArchitecture {
  layers: number
  embedding: number
  heads: number
  kvHeads: number
  headDim: number
  /** The dense residual MLP beside the experts (Grok-2); 0 for Grok-1, which has none. */
  denseFfn: number
  experts: number
  expertsUsed: number
  expertFfn: number
  vocab: number
  contextLength: number
  ropeFreqBase: number
  rmsEps: number
  attnLogitSoftcap: number
  routerLogitSoftcap: number
  finalLogitSoftcap: number
  embeddingScale: number
  logitScale: number
  attnOutputScale: number
}

export interface TensorShape {
  name: string
  /** ggml order: ne0 first. */
  dims: number[]
}

/** Every weight tensor llama.cpp's `grok` loader reads, in file order, with its shape. */
export function tensorLayout(arch: GrokArchitecture): TensorShape[] {
  const { embedding: e, vocab: v, experts: x, denseFfn: f, expertFfn: fx } = arch
  const kv = arch.kvHeads * arch.headDim
  const shapes: TensorShape[] = [{ name: 'token_embd.weight', dims: [e, v] }]
  for (let i = 0; i < arch.layers; i++) {
    const blk = (name: string, dims: number[]) => shapes.push({ name: `blk.${i}.${name}.weight`, dims })
    blk('attn_norm', [e])
    blk('attn_q', [e, arch.heads * arch.headDim])
    blk('attn_k', [e, kv])
    blk('attn_v', [e, kv])
    blk('attn_output', [arch.heads * arch.headDim, e])
    blk('attn_output_norm', [e])
    blk('ffn_norm', [e])
    if (f > 0) {
      blk('ffn_gate', [e, f])
      blk('ffn_up', [e, f])
      blk('ffn_down', [f, e])
    }
    blk('ffn_gate_inp', [e, x])
    blk('ffn_gate_exps', [e, fx, x])
    blk('ffn_up_exps', [e, fx, x])
    blk('ffn_down_exps', [fx, e, x])
    blk('post_ffw_norm', [e])
  }
  shapes.push({ name: 'output_norm.weight', dims: [e] })
  shapes.push({ name: 'output.weight', dims: [e, v] })
  return shapes
}

export const elements = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1)

export interface ParameterCount {
  total: number
  /** Parameters touched per token: everything but the experts not routed to. */
  active: number
}

export function parameterCount(arch: GrokArchitecture): ParameterCount {
  let total = 0
  let experts = 0
  for (const { name, dims } of tensorLayout(arch)) {
    total += elements(dims)
    if (name.endsWith('_exps.weight')) experts += elements(dims)
  }
  return { total, active: total - experts + (experts * arch.expertsUsed) / arch.experts }
}

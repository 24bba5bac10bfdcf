// The proof that the tiny Grok-2 is a real Grok-2 GGUF: llama.cpp (through node-llama-cpp) loads it,
// as one file and as shards, and generates from it. (trained-parity.test.ts proves its numbers.)
import { LlamaLogLevel, getLlama, type Llama } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GROK_2_TINY } from '../catalog.ts'
import { ensureTinyModel, type TinyModelFiles } from './ensure-tiny.ts'

let llama: Llama
let files: TinyModelFiles
beforeAll(async () => {
  files = await ensureTinyModel()
  llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error })
})
afterAll(() => llama?.dispose())

async function greedy(modelPath: string, prompt: string, count: number) {
  const model = await llama.loadModel({ modelPath })
  const context = await model.createContext({ contextSize: 256, threads: 1 })
  try {
    const tokens = model.tokenize(prompt, true)
    const out: number[] = []
    for await (const token of context.getSequence().evaluate(tokens, { temperature: 0, yieldEogToken: true })) {
      out.push(token)
      if (out.length === count) break
    }
    return { model, tokens, out }
  } finally {
    await context.dispose()
    await model.dispose()
  }
}

const PROMPT = 'Human: hello<|separator|>\n\nAssistant:'

describe('the tiny Grok-2 in llama.cpp', () => {
  it('loads as F16 with the catalog architecture and a Grok-2 tokenizer', async () => {
    const model = await llama.loadModel({ modelPath: files.f16Path })
    try {
      const { general, grok, tokenizer } = model.fileInfo.metadata as unknown as {
        general: { architecture: string }
        grok: Record<string, number | Record<string, number>>
        tokenizer: { ggml: { tokens: string[]; pre: string } }
      }
      expect(general.architecture).toBe('grok')
      expect(grok).toMatchObject({
        block_count: GROK_2_TINY.layers,
        embedding_length: GROK_2_TINY.embedding,
        feed_forward_length: GROK_2_TINY.denseFfn,
        expert_feed_forward_length: GROK_2_TINY.expertFfn,
        expert_count: GROK_2_TINY.experts,
        expert_used_count: GROK_2_TINY.expertsUsed,
        context_length: GROK_2_TINY.contextLength,
      })
      expect(tokenizer.ggml.tokens).toHaveLength(GROK_2_TINY.vocab)
      expect(tokenizer.ggml.pre).toBe('grok-2')
      const id = (token: string) => tokenizer.ggml.tokens.indexOf(token)
      expect(model.tokens.eos).toBe(id('<|separator|>'))
      // Control tokens parse only when asked; the template's words are single tokens of the learned BPE.
      const tokens = model.tokenize(PROMPT, true)
      expect(tokens.filter((t) => t === model.tokens.eos)).toHaveLength(1)
      expect(model.tokenize(PROMPT, false)).not.toContain(model.tokens.eos)
      expect(model.detokenize(tokens, true)).toBe(PROMPT)
      for (const word of ['Human', 'Assistant', ' the']) expect(model.tokenize(word, false), word).toHaveLength(1)
      expect(model.detokenize(model.tokenize('the cat, and you', false))).toBe('the cat, and you')
    } finally {
      await model.dispose()
    }
  })

  it('generates the same greedy tokens every time', async () => {
    const a = await greedy(files.f16Path, PROMPT, 24)
    const b = await greedy(files.f16Path, PROMPT, 24)
    expect(a.out).toHaveLength(24)
    expect(a.out.every((t) => t >= 0 && t < GROK_2_TINY.vocab)).toBe(true)
    expect(b.out).toEqual(a.out)
  })

  it('loads and generates from the Q8_0 (3 shards) and Q4_0 (2 shards) splits', async () => {
    for (const variant of ['q8_0', 'q4_0']) {
      const shards = files.variantPaths[variant]!
      expect(shards[0]).toMatch(/-00001-of-0000[23]\.gguf$/)
      const { out } = await greedy(shards[0]!, PROMPT, 16)
      expect(out, variant).toHaveLength(16)
    }
  })
})

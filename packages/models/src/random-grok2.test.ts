import { gguf } from '@huggingface/gguf'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tensorLayout } from './architecture.ts'
import { writeGguf } from './gguf/writer.ts'
import { sha256Hex } from './manifest.ts'
import { buildRandomGrok2, GROK_2_RANDOM_TINY } from './random-grok2.ts'

const dir = await mkdtemp(join(tmpdir(), 'random-grok2-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('buildRandomGrok2', () => {
  it('gives the same bytes for the same seed and other bytes for another', async () => {
    const a = await sha256Hex(writeGguf(buildRandomGrok2({ seed: 1 })))
    expect(await sha256Hex(writeGguf(buildRandomGrok2({ seed: 1 })))).toBe(a)
    expect(await sha256Hex(writeGguf(buildRandomGrok2({ seed: 2 })))).not.toBe(a)
  })

  it('is a grok GGUF with the keys and tensors llama.cpp needs, as @huggingface/gguf reads it', async () => {
    const path = join(dir, 'tiny.gguf')
    const bytes = writeGguf(buildRandomGrok2())
    await writeFile(path, bytes)
    const parsed = await gguf(path, { allowLocalFile: true })
    const { tensorInfos } = parsed
    const metadata = parsed.metadata as Record<string, unknown>
    expect(metadata['general.architecture']).toBe('grok')
    expect(metadata).toMatchObject({
      'grok.block_count': 4,
      'grok.embedding_length': 128,
      'grok.attention.head_count': 4,
      'grok.attention.head_count_kv': 2,
      'grok.rope.dimension_count': 32,
      'grok.expert_count': 8,
      'grok.expert_used_count': 2,
      'grok.feed_forward_length': 256,
      'grok.expert_feed_forward_length': 128,
      'grok.final_logit_softcapping': 50,
      'grok.logit_scale': 0.5,
      'tokenizer.ggml.model': 'gpt2',
      'tokenizer.ggml.pre': 'grok-2',
    })
    expect(metadata['tokenizer.ggml.tokens']).toHaveLength(GROK_2_RANDOM_TINY.vocab)
    expect(tensorInfos.map((t) => [t.name, t.shape.map(Number)])).toEqual(tensorLayout(GROK_2_RANDOM_TINY).map((t) => [t.name, t.dims]))
    expect(tensorInfos.find((t) => t.name === 'blk.3.ffn_down_exps.weight')!.shape.map(Number)).toEqual([128, 128, 8])
    // F16 matrices, F32 norms: about 4.5 MB for 2.2M parameters.
    expect(new Set(tensorInfos.map((t) => (t.shape.length === 1 ? `norm:${t.dtype}` : `matrix:${t.dtype}`)))).toEqual(new Set(['norm:0', 'matrix:1']))
    expect(bytes.byteLength / 1e6).toBeCloseTo(4.5, 1)
  })

  it('builds other sizes of the architecture for benchmarks', () => {
    const wide = { ...GROK_2_RANDOM_TINY, embedding: 512, heads: 8, kvHeads: 2, headDim: 64, denseFfn: 1024, expertFfn: 512 }
    const file = buildRandomGrok2({ architecture: wide, name: 'grok-2-wide' })
    expect(file.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!.dims).toEqual([512, 512])
    expect(file.metadata.find(([key]) => key === 'general.name')![1].value).toBe('grok-2-wide')
    expect(() => buildRandomGrok2({ architecture: { ...GROK_2_RANDOM_TINY, vocab: 1000 } })).toThrow(/vocabulary has 293 tokens, architecture says 1000/)
  })

  it('uses the same weights in every quantization', async () => {
    const f16 = buildRandomGrok2({ quantization: 'f16' })
    const q8 = buildRandomGrok2({ quantization: 'q8_0' })
    expect(q8.tensors.map((t) => t.name)).toEqual(f16.tensors.map((t) => t.name))
    expect(q8.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!.type).toBe(8)
    // Norms are F32 in both, and equal.
    expect(q8.tensors[1]!.data).toEqual(f16.tensors[1]!.data)
    expect(writeGguf(q8).byteLength).toBeLessThan(writeGguf(f16).byteLength * 0.55)
  })
})

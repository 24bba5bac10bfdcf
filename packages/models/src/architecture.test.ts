import { describe, expect, it } from 'vitest'
import { parameterCount, tensorLayout } from './architecture.ts'
import { GROK_2, GROK_2_TINY } from './catalog.ts'

describe('parameterCount', () => {
  it('gives Grok-2 the published ~270B total and ~115B active parameters', () => {
    const { total, active } = parameterCount(GROK_2)
    expect(total / 1e9).toBeGreaterThan(265)
    expect(total / 1e9).toBeLessThan(275)
    expect(active / 1e9).toBeGreaterThan(110)
    expect(active / 1e9).toBeLessThan(120)
  })

  it('gives the tiny Grok-2 about 7.6M parameters', () => {
    expect(parameterCount(GROK_2_TINY).total).toBe(7_614_720)
  })
})

describe('tensorLayout', () => {
  it("lists every tensor llama.cpp's grok loader needs, in ggml order", () => {
    const layout = tensorLayout(GROK_2)
    const byName = new Map(layout.map((t) => [t.name, t.dims]))
    expect(byName.get('token_embd.weight')).toEqual([8192, 131072])
    expect(byName.get('blk.0.attn_q.weight')).toEqual([8192, 8192])
    expect(byName.get('blk.0.attn_k.weight')).toEqual([8192, 1024])
    expect(byName.get('blk.63.ffn_gate.weight')).toEqual([8192, 32768])
    expect(byName.get('blk.63.ffn_down.weight')).toEqual([32768, 8192])
    expect(byName.get('blk.63.ffn_gate_inp.weight')).toEqual([8192, 8])
    expect(byName.get('blk.63.ffn_up_exps.weight')).toEqual([8192, 16384, 8])
    expect(byName.get('blk.63.ffn_down_exps.weight')).toEqual([16384, 8192, 8])
    expect(byName.get('blk.63.post_ffw_norm.weight')).toEqual([8192])
    expect(byName.get('output.weight')).toEqual([8192, 131072])
    expect(layout).toHaveLength(3 + 64 * 15)
    expect(new Set(layout.map((t) => t.name)).size).toBe(layout.length)
  })

  it('leaves out the dense MLP for Grok-1-style models', () => {
    const names = tensorLayout({ ...GROK_2_TINY, denseFfn: 0 }).map((t) => t.name)
    expect(names).not.toContain('blk.0.ffn_gate.weight')
    expect(names).toContain('blk.0.ffn_gate_exps.weight')
  })
})

import { describe, expect, it } from 'vitest'
import { parseChatRequest } from '@tandem/protocol'
import { samplingFor } from './sampling.ts'

const request = (extra: Record<string, unknown>) => {
  const parsed = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra })
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

describe('samplingFor', () => {
  it('uses OpenAI defaults, with top-k and min-p off', () => {
    expect(samplingFor(request({}), 300, () => 9)).toEqual({
      temperature: 1,
      topP: 1,
      topK: 0,
      minP: 0,
      seed: 9,
      logitBias: [],
      frequencyPenalty: 0,
      presencePenalty: 0,
    })
  })

  it('maps every integer seed to one unsigned 32-bit seed', () => {
    expect(samplingFor(request({ seed: 42 }), 300).seed).toBe(42)
    expect(samplingFor(request({ seed: -1 }), 300).seed).toBe(2 ** 32 - 1)
    expect(samplingFor(request({ seed: 2 ** 32 + 5 }), 300).seed).toBe(5)
  })

  it('passes logit bias on by token id and refuses ids outside the vocabulary', () => {
    expect(samplingFor(request({ logit_bias: { 7: -100, 12: 5 } }), 300).logitBias).toEqual([
      [7, -100],
      [12, 5],
    ])
    expect(() => samplingFor(request({ logit_bias: { 300: 1 } }), 300)).toThrow(expect.objectContaining({ param: 'logit_bias' }))
  })
})

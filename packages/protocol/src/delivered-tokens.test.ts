import { describe, expect, it } from 'vitest'
import { DeliveredTokens, type CountedChunk } from './delivered-tokens.ts'

const text = (content: string, extra: Partial<CountedChunk> = {}): CountedChunk => ({ choices: [{ delta: { content } }], ...extra })

function tally(chunks: readonly CountedChunk[]): DeliveredTokens {
  const delivered = new DeliveredTokens()
  for (const chunk of chunks) delivered.see(chunk)
  return delivered
}

describe('DeliveredTokens', () => {
  it('takes the running count of chunks that join many tokens, not the number of chunks', () => {
    const delivered = tally([text('Once upon', { timings: { prompt_n: 12, predicted_n: 9 } }), text(' a time there was', { timings: { prompt_n: 12, predicted_n: 31 } })])
    expect([delivered.completionTokens, delivered.promptTokens]).toEqual([31, 12])
  })

  it('reads vLLM’s running usage and the final usage chunk the same way', () => {
    expect(tally([text('a', { usage: { prompt_tokens: 5, completion_tokens: 4 } }), { choices: [], usage: { prompt_tokens: 5, completion_tokens: 6 } }]).completionTokens).toBe(6)
  })

  it('counts a chunk per token where no count is sent, and after the latest count', () => {
    expect(tally([{ choices: [{ delta: { content: '' } }] }, text('a'), text('b'), { choices: [{ delta: { tool_calls: [{}] } }] }]).completionTokens).toBe(3)
    const mixed = tally([text('ab', { timings: { predicted_n: 7 } }), text('c'), { choices: [] }])
    expect([mixed.completionTokens, mixed.promptTokens]).toEqual([8, undefined])
  })

  it('ignores counts that are not whole numbers', () => {
    expect(tally([text('a', { timings: { predicted_n: -3 } }), text('b', { usage: { completion_tokens: 1.5 } })]).completionTokens).toBe(2)
  })
})

import { describe, expect, it } from 'vitest'
import { checkPromptFits } from './prompt-fit.ts'
import { Upstream } from './upstream-pool.ts'

const bound = { max_token_bytes: 16, tokens_per_message: 1 }

function upstream(contexts: Record<string, number | null> | undefined, seenReady = true): Upstream {
  const u = new Upstream({ name: 'u', url: 'http://u', weight: 1 })
  u.seenReady = seenReady
  if (contexts !== undefined) u.models = new Map(Object.entries(contexts).map(([id, context]) => [id, { created: 1, max_model_len: context, prompt_bound: bound }]))
  return u
}

const messages = (count: number, content = 'x') => Array.from({ length: count }, () => ({ role: 'user' as const, content }))

describe('checkPromptFits', () => {
  it('refuses what no upstream could fit, naming messages and the largest context', () => {
    const request = { model: 'tiny', messages: messages(30_000) }
    expect(() => checkPromptFits([upstream({ tiny: 4096 }), upstream({ tiny: 8192 })], request)).toThrow(
      expect.objectContaining({ code: 'context_length_exceeded', status: 400, param: 'messages', message: "messages: the prompt is at least 31874 tokens, and this model's context holds 8192" }),
    )
  })

  it('lets through what might fit: below the bound, on any one upstream, or wherever something is unknown', () => {
    const huge = { model: 'tiny', messages: messages(30_000) }
    expect(() => checkPromptFits([upstream({ tiny: 4096 })], { model: 'tiny', messages: messages(3_000) })).not.toThrow()
    expect(() => checkPromptFits([upstream({ tiny: 4096 }), upstream({ tiny: 131_072 })], huge)).not.toThrow()
    expect(() => checkPromptFits([upstream({ tiny: 4096 }), upstream(undefined)], huge)).not.toThrow()
    expect(() => checkPromptFits([upstream({ tiny: 4096 }), upstream({ other: 4096 })], huge)).not.toThrow()
    expect(() => checkPromptFits([upstream({ tiny: null })], huge)).not.toThrow()
    expect(() => checkPromptFits([], huge)).not.toThrow()
    // An upstream never seen ready takes nothing: it neither lets through nor refuses.
    expect(() => checkPromptFits([upstream({ tiny: 4096 }), upstream({ tiny: 131_072 }, false)], huge)).toThrow()
  })

  it('never refuses a prompt at the edge of the bound: tokens at least the context is what cannot fit', () => {
    // One message of 16 × 4,095 bytes: at least 4,095 tokens, which may fit a context of 4,096.
    expect(() => checkPromptFits([upstream({ tiny: 4096 })], { model: 'tiny', messages: messages(1, 'x'.repeat(16 * 4095)) })).not.toThrow()
    expect(() => checkPromptFits([upstream({ tiny: 4096 })], { model: 'tiny', messages: messages(1, 'x'.repeat(16 * 4096)) })).toThrow()
  })
})

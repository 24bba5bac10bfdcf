import { describe, expect, it } from 'vitest'
import { minPromptTokens, promptBoundSchema } from './prompt-bound.ts'

const encoder = new TextEncoder()

describe('minPromptTokens', () => {
  const bound = { max_token_bytes: 16, tokens_per_message: 1 }

  it('counts trimmed UTF-8 bytes at most max_token_bytes a token, plus the template per message but the last', () => {
    expect(minPromptTokens([{ content: 'x'.repeat(33) }], bound)).toBe(3)
    expect(minPromptTokens([{ content: `  ${'x'.repeat(32)}\n\n` }], bound)).toBe(2)
    expect(minPromptTokens(Array.from({ length: 30_000 }, () => ({ content: 'x' })), bound)).toBe(Math.ceil(30_000 / 16) + 29_999)
    expect(minPromptTokens([{ content: [{ type: 'text', text: 'ab' }, { type: 'text', text: 'cd' }] }, { content: null }], bound)).toBe(2)
    expect(minPromptTokens([{ content: ' '.repeat(1_000_000) }], bound)).toBe(0)
  })

  it('measures bytes as an encoder writes them, odd unicode included', () => {
    for (const text of ['é', '€', '👩‍👩‍👧‍👦', '\uD800', 'a\uDFFFb', '\uD83D\uDE00\uD83D']) {
      expect(minPromptTokens([{ content: text }], { max_token_bytes: 1, tokens_per_message: 0 })).toBe(encoder.encode(text.trim()).length)
    }
  })

  it('is parsed from a server’s model list', () => {
    expect(promptBoundSchema.safeParse({ max_token_bytes: 0, tokens_per_message: 1 }).success).toBe(false)
    expect(promptBoundSchema.parse({ max_token_bytes: 16, tokens_per_message: 1, extra: 1 })).toEqual(bound)
  })
})

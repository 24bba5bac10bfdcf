import { describe, expect, it } from 'vitest'
import { chatMessageSchema, contentText, textContentSchema } from './chat-message.ts'

describe('chatMessageSchema', () => {
  it('accepts each role', () => {
    for (const message of [
      { role: 'system', content: 's' },
      { role: 'developer', content: 'd' },
      { role: 'user', content: 'u', name: 'ana' },
      { role: 'assistant', content: 'a' },
      { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c', content: 'r' },
    ]) {
      expect(chatMessageSchema.safeParse(message).success, JSON.stringify(message)).toBe(true)
    }
  })

  it('keeps prefix on assistant messages only', () => {
    expect(chatMessageSchema.parse({ role: 'assistant', content: 'Once', prefix: true })).toEqual({
      role: 'assistant', content: 'Once', prefix: true,
    })
    expect(chatMessageSchema.safeParse({ role: 'user', content: 'x', prefix: true }).success).toBe(false)
    expect(chatMessageSchema.safeParse({ role: 'user', content: 'x', prefix: undefined }).success).toBe(true)
  })

  it('refuses a prefix that calls tools', () => {
    const message = {
      role: 'assistant', content: 'x', prefix: true,
      tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
    }
    expect(chatMessageSchema.safeParse(message).error?.issues[0]?.path).toEqual(['prefix'])
  })

  it('refuses custom tool calls in history', () => {
    const message = { role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'g', input: 'x' } }] }
    expect(chatMessageSchema.safeParse(message).error?.issues[0]?.message).toBe('only function tool calls are supported')
  })
})

describe('textContentSchema', () => {
  it('takes a string or text parts, nothing else', () => {
    expect(textContentSchema.safeParse('x').success).toBe(true)
    expect(textContentSchema.safeParse([]).success).toBe(true)
    expect(textContentSchema.safeParse([{ type: 'text', text: 'x' }]).success).toBe(true)
    expect(textContentSchema.safeParse([{ type: 'refusal', refusal: 'no' }]).success).toBe(false)
    expect(textContentSchema.safeParse(null).success).toBe(false)
  })
})

describe('contentText', () => {
  it('joins parts as they are', () => {
    expect(contentText('abc')).toBe('abc')
    expect(contentText([{ type: 'text', text: 'a' }, { type: 'text', text: ' b' }])).toBe('a b')
    expect(contentText(null)).toBe('')
    expect(contentText(undefined)).toBe('')
  })
})

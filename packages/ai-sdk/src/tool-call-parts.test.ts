import { describe, expect, it } from 'vitest'
import { ToolCallParts } from './tool-call-parts.ts'

describe('ToolCallParts', () => {
  it('keeps parallel calls apart by index and calls each with its whole input, {} for none', () => {
    const calls = new ToolCallParts()
    calls.observe([
      { index: 0, id: 'call_a', function: { name: 'define_word', arguments: '{"word":"c' } },
      { index: 1, id: 'call_b', function: { name: 'now', arguments: '' } },
    ])
    calls.observe([{ index: 0, function: { arguments: 'at"}' } }])
    expect(calls.end({ complete: true }).filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'define_word', input: '{"word":"cat"}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'now', input: '{}' },
    ])
  })

  it('after an incomplete answer ends each input and calls nothing', () => {
    const calls = new ToolCallParts()
    calls.observe([{ index: 0, id: 'call_a', function: { name: 'define_word', arguments: '{"wo' } }])
    expect(calls.end({ complete: false })).toEqual([{ type: 'tool-input-end', id: 'call_a' }])
  })
})

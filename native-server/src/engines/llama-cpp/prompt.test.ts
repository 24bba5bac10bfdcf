import { describe, expect, it } from 'vitest'
import { TandemError } from '@tandem/protocol'
import { promptTurns } from './prompt.ts'

describe('promptTurns', () => {
  it('flattens content to text, a developer message as a system turn, and keeps a prefix', () => {
    const turns = promptTurns([
      { role: 'developer', content: 'Rules' },
      { role: 'user', content: [{ type: 'text', text: 'Hi ' }, { type: 'text', text: 'there' }] },
      { role: 'assistant', content: 'One', prefix: true },
    ])
    expect(turns).toEqual([
      { role: 'system', text: 'Rules' },
      { role: 'user', text: 'Hi there' },
      { role: 'assistant', text: 'One', prefix: true },
    ])
  })

  it('refuses tool messages and tool calls, naming the field', () => {
    const tool = () => promptTurns([{ role: 'user', content: 'x' }, { role: 'tool', content: 'y', tool_call_id: 'c1' }])
    expect(tool).toThrow(TandemError)
    expect(tool).toThrow(expect.objectContaining({ code: 'unsupported', param: 'messages[1].role' }))
    const calls = () => promptTurns([{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }])
    expect(calls).toThrow(expect.objectContaining({ param: 'messages[0].tool_calls' }))
  })
})

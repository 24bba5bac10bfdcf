import { describe, expect, it } from 'vitest'
import { chatTurns } from './chat-turns.ts'

const tool = { type: 'function' as const, function: { name: 'define_word', description: 'Define a word', parameters: { type: 'object', properties: { word: { type: 'string' } } } } }
const call = { id: 'call_1', type: 'function' as const, function: { name: 'define_word', arguments: '{"word":"cat"}' } }

describe('chatTurns', () => {
  it('flattens content to text, a developer message as a system turn, and keeps a prefix', () => {
    const turns = chatTurns({
      messages: [
        { role: 'developer', content: 'Rules' },
        { role: 'user', content: [{ type: 'text', text: 'Hi ' }, { type: 'text', text: 'there' }] },
        { role: 'assistant', content: 'One', prefix: true },
      ],
    })
    expect(turns).toEqual([
      { role: 'system', text: 'Rules' },
      { role: 'user', text: 'Hi there' },
      { role: 'assistant', text: 'One', prefix: true },
    ])
  })

  it('offers tools first, renders calls after the text and results that follow one another as one system turn', () => {
    const turns = chatTurns({
      tools: [tool],
      messages: [
        { role: 'user', content: 'What are a cat and a dog?' },
        { role: 'assistant', content: null, tool_calls: [call, { ...call, id: 'call_2', function: { name: 'define_word', arguments: '{"word":"dog"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'a feline' },
        { role: 'tool', tool_call_id: 'call_2', content: 'a canine' },
      ],
    })
    expect(turns[0]!.role).toBe('system')
    expect(turns[0]!.text).toContain('{"name":"define_word","description":"Define a word","parameters":{"type":"object","properties":{"word":{"type":"string"}}}}')
    expect(turns.slice(1)).toEqual([
      { role: 'user', text: 'What are a cat and a dog?' },
      { role: 'assistant', text: '<tool_call>{"name": "define_word", "arguments": {"word":"cat"}}</tool_call><tool_call>{"name": "define_word", "arguments": {"word":"dog"}}</tool_call>' },
      { role: 'system', text: '<tool_result name="define_word">a feline</tool_result>\n<tool_result name="define_word">a canine</tool_result>' },
    ])
  })

  it('offers no tools when tool_choice is "none", and says "one call at most" without parallel calls', () => {
    expect(chatTurns({ tools: [tool], tool_choice: 'none', messages: [{ role: 'user', content: 'x' }] })).toEqual([{ role: 'user', text: 'x' }])
    const single = chatTurns({ tools: [tool], parallel_tool_calls: false, messages: [{ role: 'user', content: 'x' }] })
    expect(single[0]!.text).toContain('Call one tool at most')
  })
})

import { parseChatRequest, type ChatRequestInput } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { grammarFor, grammarForTools, stopsFor } from './tool-call-grammar.ts'

const tools = [
  { type: 'function' as const, function: { name: 'define_word', parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] } } },
  { type: 'function' as const, function: { name: 'now' } },
]

function request(fields: Partial<ChatRequestInput>) {
  const parsed = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools, ...fields })
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

const rootOf = (grammar: string | undefined) => grammar?.split('\n')[0]

describe('grammarForTools', () => {
  it('allows only calls for "required", one of them without parallel calls, each with its head and schema', () => {
    const grammar = grammarForTools(request({ tool_choice: 'required' }))!
    expect(rootOf(grammar)).toBe('root ::= " "? call+')
    expect(grammar).toContain('call ::= call0 | call1')
    expect(grammar).toContain('call0 ::= "<tool_call>{\\"name\\": \\"define_word\\", \\"arguments\\": " s0 "}</tool_call>"')
    expect(grammar).toMatch(/call1 ::= "<tool_call>\{\\"name\\": \\"now\\", \\"arguments\\": " s1 "\}<\/tool_call>"\n/)
    expect(rootOf(grammarForTools(request({ tool_choice: 'required', parallel_tool_calls: false })))).toBe('root ::= " "? call')
  })

  it('allows only the named function', () => {
    const grammar = grammarForTools(request({ tool_choice: { type: 'function', function: { name: 'now' } } }))!
    expect(grammar).toContain('call ::= call0\n')
    expect(grammar).toContain('\\"now\\"')
    expect(grammar).not.toContain('define_word')
  })

  it('allows calls or text for "auto", text that cannot start a call; with a response format, that JSON', () => {
    const auto = grammarForTools(request({}))!
    expect(rootOf(auto)).toBe('root ::= " "? ( call+ | text )')
    expect(auto).toContain('text ::= [^< ] [^\\x00]*')
    const json = grammarForTools(request({ response_format: { type: 'json_object' } }))!
    expect(rootOf(json)).toBe('root ::= " "? ( call+ | object )')
  })

  it('is undefined when no tools are offered, or a prefix is continued; grammarFor then falls back on the response format', () => {
    expect(grammarForTools(request({ tool_choice: 'none' }))).toBeUndefined()
    expect(grammarForTools(request({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'a', prefix: true }] }))).toBeUndefined()
    expect(rootOf(grammarFor(request({ tool_choice: 'none', response_format: { type: 'json_object' } })))).toBe('root ::= " "? object')
  })
})

describe('stopsFor', () => {
  it('lists the stop sequences, except for an answer forced to be calls, which they could only break', () => {
    expect(stopsFor(request({ stop: '"' }))).toEqual(['"'])
    expect(stopsFor(request({ stop: ['a', 'b'], tool_choice: 'none' }))).toEqual(['a', 'b'])
    expect(stopsFor(request({ stop: '"', tool_choice: 'required' }))).toEqual([])
    expect(stopsFor(request({ stop: '"', tool_choice: { type: 'function', function: { name: 'now' } } }))).toEqual([])
    expect(stopsFor(request({}))).toEqual([])
  })
})


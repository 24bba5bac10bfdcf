import { grammarForResponseFormat } from '@tandem/models'
import { parseChatRequest } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { toWllamaParams } from './wllama-request.ts'

const parse = (input: object) => {
  const parsed = parseChatRequest({ model: 'grok-2-tiny', ...input })
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

describe('toWllamaParams', () => {
  it('maps roles and sampling, and leaves out what was not asked for', () => {
    const params = toWllamaParams(
      parse({
        messages: [{ role: 'developer', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'text', text: '!' }] }],
        max_completion_tokens: 7,
        max_tokens: 99,
        temperature: 0,
        stop: 'x',
        logit_bias: { '200': -100 },
        seed: null,
        ignore_eos: true,
      }),
    )
    expect(params).toEqual({
      messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi!' }],
      max_tokens: 7,
      temperature: 0,
      stop: ['x'],
      logit_bias: { '200': -100 },
      ignore_eos: true,
    })
  })

  it('sends response_format as the grammar native-server uses, and never as llama.cpp’s own', () => {
    const response_format = { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } } as const
    const params = toWllamaParams(parse({ messages: [{ role: 'user', content: 'hi' }], response_format }))
    expect(params.response_format).toBeUndefined()
    expect(params.grammar).toBe(grammarForResponseFormat(response_format))
    expect(params.grammar).toContain('"\\"ok\\"" ":" ws boolean')
    expect(toWllamaParams(parse({ messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'text' } })).grammar).toBeUndefined()
  })

  it('renders a trailing assistant prefix as `Assistant: <text>`, as the template and native-server do', () => {
    const params = toWllamaParams(parse({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hello', prefix: true }] }))
    expect(params.messages.at(-1)).toEqual({ role: 'assistant', content: ' Hello' })
    const history = toWllamaParams(parse({ messages: [{ role: 'assistant', content: 'Hello' }, { role: 'user', content: 'hi' }] }))
    expect(history.messages[0]).toEqual({ role: 'assistant', content: 'Hello' })
  })

  it('sends tools as turns and a grammar, never as wllama tools (its template would drop them)', () => {
    const tools = [{ type: 'function', function: { name: 'define_word', parameters: { type: 'object', properties: { word: { type: 'string' } } } } }]
    const params = toWllamaParams(parse({ messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'required' }))
    expect(params.tools).toBeUndefined()
    expect(params.tool_choice).toBeUndefined()
    expect(params.messages[0]!.content).toContain('<tools>')
    expect(params.grammar).toMatch(/^root ::= " "\? call\+/)
    expect(toWllamaParams(parse({ messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'none' })).grammar).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { assistantPrefix, chatRequestSchema, effectiveMaxTokens } from './chat-request.ts'
import { parseChatRequest } from './validate.ts'

const base = { model: 'grok-2-tiny', messages: [{ role: 'user', content: 'Hi' }] }

function parse(extra: Record<string, unknown>) {
  return chatRequestSchema.safeParse({ ...base, ...extra })
}

describe('chatRequestSchema', () => {
  it('accepts the smallest request', () => {
    expect(chatRequestSchema.parse(base)).toEqual(base)
  })

  it('accepts every role and both content forms', () => {
    const messages = [
      { role: 'system', content: 'Be brief.', name: 'policy' },
      { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'text', text: ' In Paris.' }], name: 'ana' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"c":18}' },
      { role: 'assistant', content: [{ type: 'text', text: '18 °C' }] },
    ]
    expect(parse({ messages }).success).toBe(true)
  })

  it('accepts every sampling and output option', () => {
    const result = parse({
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 100,
      max_completion_tokens: 50,
      temperature: 2,
      top_p: 1,
      stop: ['\n', 'END', 'User:', '###'],
      seed: -7,
      n: 1,
      logit_bias: { '50256': -100, '13': 100 },
      user: 'u-1',
      frequency_penalty: -2,
      presence_penalty: 2,
      ignore_eos: true,
    })
    expect(result.success).toBe(true)
    expect(parse({ stop: 'END', temperature: 0 }).success).toBe(true)
  })

  it('accepts null where OpenAI types allow null', () => {
    const nulls = Object.fromEntries(
      ['stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'seed', 'n',
        'logit_bias', 'frequency_penalty', 'presence_penalty', 'ignore_eos'].map((key) => [key, null]),
    )
    expect(parse(nulls).success).toBe(true)
  })

  it('accepts each response format', () => {
    for (const response_format of [
      { type: 'text' },
      { type: 'json_object' },
      { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: {} } } },
      { type: 'json_schema', json_schema: { name: 'bare' } },
    ]) {
      expect(parse({ response_format }).success, JSON.stringify(response_format)).toBe(true)
    }
  })

  it('accepts function tools and every tool choice', () => {
    const tools = [{ type: 'function', function: { name: 'weather', description: 'd', parameters: { type: 'object' }, strict: null } }]
    for (const tool_choice of ['none', 'auto', 'required', { type: 'function', function: { name: 'weather' } }]) {
      expect(parse({ tools, tool_choice }).success).toBe(true)
    }
  })

  it('accepts a tool round: a call, its result, parallel_tool_calls', () => {
    const tools = [{ type: 'function', function: { name: 'define_word', parameters: { type: 'object', properties: { word: { type: 'string' } } } } }]
    const messages = [
      { role: 'user', content: 'What is a cat?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'define_word', arguments: '{"word":"cat"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a small feline' },
    ]
    expect(parse({ tools, messages, parallel_tool_calls: false }).success).toBe(true)
  })

  it.each([
    ['a tool name with a space', { tools: [{ type: 'function', function: { name: 'look up' } }] }, 'tools[0].function.name'],
    ['parameters that are not an object schema', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }] }, 'tools[0].function.parameters.type'],
    ['two tools of one name', { tools: [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'f' } }] }, 'tools[1].function.name'],
    ['tool_choice naming a missing tool', { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }, 'tool_choice.function.name'],
    ['a tool message answering no call', { messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_9', content: 'r' }] }, 'messages[1].tool_call_id'],
    [
      'call arguments that are not a JSON object',
      { messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }] },
      'messages[0].tool_calls[0].function.arguments',
    ],
    ['parameters outside the JSON Schema subset', { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', patternProperties: {} } } }] }, 'tools[0].function.parameters.patternProperties'],
    [
      'a prefix with a forced tool call',
      { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'required', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'a', prefix: true }] },
      'tool_choice',
    ],
  ])('refuses %s, naming the field', (_, fields, param) => {
    const parsed = parseChatRequest({ ...base, ...fields })
    expect(parsed.ok ? undefined : parsed.error.param).toBe(param)
  })

  it('strips fields it does not know, at every level', () => {
    const parsed = chatRequestSchema.parse({
      ...base,
      messages: [{ role: 'user', content: 'Hi', cache_control: { type: 'ephemeral' } }],
      metadata: { a: 'b' },
      stream_options: { include_usage: true, include_obfuscation: false },
    })
    expect(parsed).toEqual({ ...base, stream_options: { include_usage: true } })
  })

  it('accepts an assistant prefix as the last message', () => {
    const messages = [...base.messages, { role: 'assistant', content: 'Once upon', prefix: true }]
    const parsed = chatRequestSchema.parse({ ...base, messages })
    expect(assistantPrefix(parsed)).toBe('Once upon')
    expect(assistantPrefix(chatRequestSchema.parse(base))).toBeUndefined()
  })

  it('rejects what Tandem does not serve', () => {
    expect(parse({ n: 2 }).success).toBe(false)
    expect(parse({ tools: [{ type: 'custom', custom: { name: 'x' } }] }).success).toBe(false)
    expect(parse({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }).success).toBe(false)
    expect(parse({ messages: [{ role: 'function', name: 'f', content: 'x' }] }).success).toBe(false)
  })
})

describe('effectiveMaxTokens', () => {
  it('prefers max_completion_tokens, then max_tokens, else none', () => {
    expect(effectiveMaxTokens({ max_completion_tokens: 5, max_tokens: 9 })).toBe(5)
    expect(effectiveMaxTokens({ max_completion_tokens: null, max_tokens: 9 })).toBe(9)
    expect(effectiveMaxTokens({})).toBeUndefined()
    expect(effectiveMaxTokens({ max_tokens: null })).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseChatRequest, parseWith } from './validate.ts'

const user = (content: unknown) => ({ role: 'user', content })
const base = { model: 'grok-2-tiny', messages: [user('Hi')] }

function failure(input: unknown) {
  const result = parseChatRequest(input)
  if (result.ok) throw new Error('expected the request to be rejected')
  return result.error
}

describe('parseChatRequest', () => {
  it('returns the parsed request', () => {
    expect(parseChatRequest(base)).toEqual({ ok: true, value: base })
  })

  it.each([
    [{ ...base, messages: [user('a'), user('b'), user(42)] }, 'messages[2].content', 'expected a string or an array of text parts'],
    [{ ...base, messages: [user([{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }])] },
      'messages[0].content[1].type', '"image_url" parts are not supported, only text parts'],
    [{ ...base, messages: [user([{ type: 'text' }])] }, 'messages[0].content[0].text', 'required'],
    [{ ...base, temperature: 2.5 }, 'temperature', 'must be at most 2'],
    [{ ...base, temperature: '0.7' }, 'temperature', 'expected a number, got a string'],
    [{ ...base, top_p: 0 }, 'top_p', 'must be greater than 0'],
    [{ ...base, n: 3 }, 'n', 'only n = 1 is supported'],
    [{ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', 'expected at most 4 items'],
    [{ ...base, stop: 7 }, 'stop', 'expected a string or an array of up to 4 strings'],
    [{ ...base, seed: 1.5 }, 'seed', 'expected an integer, got a number'],
    [{ ...base, max_tokens: 0 }, 'max_tokens', 'must be greater than 0'],
    [{ ...base, frequency_penalty: -3 }, 'frequency_penalty', 'must be at least -2'],
    [{ ...base, ignore_eos: 'yes' }, 'ignore_eos', 'expected a boolean, got a string'],
    [{ ...base, logit_bias: { hello: 1 } }, 'logit_bias.hello', 'keys must be token ids'],
    [{ ...base, logit_bias: { '50256': -101 } }, 'logit_bias["50256"]', 'must be at least -100'],
    [{ ...base, model: '' }, 'model', 'must not be empty'],
    [{ ...base, messages: [] }, 'messages', 'expected at least 1 item'],
    [{ ...base, messages: ['Hi'] }, 'messages[0]', 'expected an object, got a string'],
    [{ ...base, messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role',
      'expected one of "system", "developer", "user", "assistant", "tool"'],
    [{ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', 'required'],
    [{ ...base, messages: [{ role: 'assistant', content: null }] }, 'messages[0].content', 'an assistant message needs content or tool_calls'],
    [{ ...base, messages: [{ role: 'assistant', content: 'Once', prefix: true }, user('go on')] }, 'messages[0].prefix',
      'only the last message can be a prefix'],
    [{ ...base, messages: [user('a'), { role: 'user', content: 'b', prefix: true }] }, 'messages[1].prefix',
      'only an assistant message can be a prefix'],
    [{ ...base, tools: [{ type: 'custom', custom: { name: 'grammar' } }] }, 'tools[0].type', 'only function tools are supported'],
    [{ ...base, tool_choice: 'always' }, 'tool_choice', 'expected "none", "auto", "required" or { type: "function", function: { name } }'],
    [{ ...base, tool_choice: 'required' }, 'tool_choice', '"required" needs at least one tool'],
    [{ ...base, tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tool_choice.function.name', 'no tool named "nope"'],
    [{ ...base, response_format: { type: 'yaml' } }, 'response_format.type', 'expected type "text", "json_object" or "json_schema"'],
    [{ ...base, response_format: { type: 'json_schema', json_schema: {} } }, 'response_format.json_schema.name', 'required'],
    [{ ...base, response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object', properties: { age: { type: 'integer', minimum: 0 } } } } } },
      'response_format.json_schema.schema.properties.age.minimum', '"minimum" is not supported'],
    [{ ...base, response_format: { type: 'json_schema', json_schema: { name: 'a', schema: ['string'] } } }, 'response_format.json_schema.schema', 'expected a JSON Schema object'],
    [{ ...base, response_format: { type: 'json_object' }, messages: [user('a'), { role: 'assistant', content: '{"a', prefix: true }] }, 'messages[1].prefix',
      'an assistant prefix cannot be continued with response_format "json_object"'],
  ])('names the field: %# %s', (input, param, message) => {
    const error = failure(input)
    expect(error.code).toBe('invalid_request')
    expect(error.status).toBe(400)
    expect(error.param).toBe(param)
    expect(error.message).toBe(`${param}: ${message}`)
  })

  it('names the body itself when the problem is the whole input', () => {
    const error = failure([])
    expect(error.param).toBeUndefined()
    expect(error.message).toBe('request body: expected an object, got an array')
  })

  it('reports the first problem and counts the rest', () => {
    const error = failure({ model: 5, messages: [] })
    expect(error.param).toBe('model')
    expect(error.message).toBe('model: expected a string, got a number (and 1 more problem)')
  })

  it('never leaks a stack trace or zod internals', () => {
    const error = failure({ ...base, messages: [user({ nested: true })], temperature: 9 })
    expect(error.message).not.toMatch(/\n|\bat\s+\S+:\d+|"code"|invalid_union|ZodError/)
  })
})

describe('parseWith', () => {
  const env = z.object({ PORT: z.coerce.number().int().min(1), UPSTREAM_URL: z.url() })

  it('parses any boundary the same way', () => {
    expect(parseWith(env, { PORT: '8080', UPSTREAM_URL: 'http://gpu:8000' }, 'env')).toEqual({
      ok: true,
      value: { PORT: 8080, UPSTREAM_URL: 'http://gpu:8000' },
    })
    const result = parseWith(env, { PORT: '0', UPSTREAM_URL: 'http://gpu:8000' }, 'env', 'internal')
    expect(result.ok ? undefined : [result.error.code, result.error.message]).toEqual(['internal', 'PORT: must be at least 1'])
  })

  it('keeps a message the schema set', () => {
    const message = z.object({ kind: z.literal('load', { error: 'unknown worker message' }) })
    const result = parseWith(message, { kind: 'explode' }, 'worker message')
    expect(result.ok ? undefined : result.error.message).toBe('kind: unknown worker message')
  })

  it('uses `what` for the input as a whole', () => {
    const result = parseWith(env, undefined, 'env')
    expect(result.ok ? undefined : result.error.message).toBe('env: required')
  })
})

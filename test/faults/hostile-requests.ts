// Requests no server should answer with anything but a 4xx and the OpenAI error envelope: broken
// JSON, JSON that is not an object, each field broken in each way, huge and odd unicode values,
// abusive headers. Shared by the gateway suite and the fuzzer.
import fc from 'fast-check'

export interface HostileRequest {
  body: string
  headers: Record<string, string>
}

export const BROKEN_FIELDS: Record<string, unknown[]> = {
  model: [123, '', null, 'no-such-model', 'grok-2-tiny\u0000', '../../etc/passwd'],
  messages: [
    [],
    'hello',
    [{ role: 'wizard', content: 'x' }],
    [{ role: 'user' }],
    [{ role: 'user', content: 5 }],
    [{ role: 'user', content: 'x', prefix: true }],
    [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x' } }] }],
    [{ role: 'assistant', content: null }],
    [{ role: 'tool', content: 'x' }],
    [{ role: 'user', content: 'x' }, { role: 'tool', content: 'x', tool_call_id: 'call_never_made' }],
    [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }],
    [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] }],
    [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'no spaces', arguments: '{}' } }] }],
    [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'g', input: 'x' } }] }],
    { 0: { role: 'user', content: 'x' } },
  ],
  tools: [
    'define_word',
    [{ type: 'custom', custom: { name: 'g' } }],
    [{ type: 'function', function: { name: '' } }],
    [{ type: 'function', function: { name: 'x'.repeat(65) } }],
    [{ type: 'function', function: { name: 'a.b' } }],
    [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'f' } }],
    [{ type: 'function', function: { name: 'f', parameters: 'object' } }],
    [{ type: 'function', function: { name: 'f', parameters: { type: 'array' } } }],
    [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string', pattern: '^x' } } } } }],
    [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { $ref: '#/$defs/a' } }, $defs: { a: { $ref: '#/$defs/a' } } } } }],
    [{ type: 'function', function: { name: 'f', parameters: nested(40) } }],
  ],
  temperature: [-1, 2.5, 'warm', Number.MAX_VALUE],
  top_p: [0, 1.5],
  max_tokens: [0, -3, 1.5, '10'],
  n: [2, 0],
  stop: [['a', 'b', 'c', 'd', 'e'], [1], 7],
  logit_bias: [{ a: 1 }, { 1: 101 }, { 1: 'x' }],
  seed: [0.5, 'seven'],
  tool_choice: ['required', 'sometimes', { type: 'function', function: { name: 'nope' } }, { type: 'function' }],
  parallel_tool_calls: ['yes', 1, null],
  stream: ['yes', 1],
  stream_options: ['usage', { include_usage: 'yes' }],
  timings_per_token: ['yes', 1, {}],
  response_format: [
    'json',
    { type: 'yaml' },
    { type: 'json_schema' },
    { type: 'json_schema', json_schema: { name: 'x', schema: ['string'] } },
    { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'integer', minimum: 1 } } },
    { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', format: 'email' } } },
    { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] } } },
    { type: 'json_schema', json_schema: { name: 'x', schema: { $defs: { a: { items: { $ref: '#/$defs/a' } } }, $ref: '#/$defs/a' } } },
    { type: 'json_schema', json_schema: { name: 'x', schema: { $ref: 'https://example.com/schema.json' } } },
    { type: 'json_schema', json_schema: { name: 'x', schema: JSON.parse(`${'{"type":"array","items":'.repeat(12)}{}${'}'.repeat(12)}`) as unknown } },
    { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', description: 'x'.repeat(20_000) } } },
  ],
}

/** A schema nested `depth` objects deep: past the depth the JSON Schema subset allows. */
function nested(depth: number): Record<string, unknown> {
  return depth === 0 ? { type: 'string' } : { type: 'object', properties: { a: nested(depth - 1) } }
}

const oneTool = [{ type: 'function', function: { name: 'define_word', parameters: { type: 'object', properties: { word: { type: 'string' } } } } }]

const notJson = fc.string({ unit: 'binary', maxLength: 200 }).filter((text) => {
  try {
    JSON.parse(text)
    return false
  } catch {
    return true
  }
})

/** Unicode that trips naive code: lone surrogates, NUL, right-to-left marks, combining runs, emoji. */
const oddText = fc.oneof(
  fc.constantFrom('\uD800', '\uDFFF', 'a\u0000b', '\u202Eevil', 'e\u0301\u0301\u0301\u0301', '👩‍👩‍👧‍👦'.repeat(50), '\uFEFF'),
  fc.string({ unit: 'binary', maxLength: 50 }),
)

export function hostileRequests(valid: Record<string, unknown>, key: string): fc.Arbitrary<HostileRequest> {
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  const withBody = (body: string, headers: Record<string, string> = auth) => ({ body, headers })
  return fc.oneof(
    notJson.map((body) => withBody(body)),
    fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => withBody(JSON.stringify(value))),
    fc.constantFrom(...Object.keys(BROKEN_FIELDS)).chain((field) => fc.constantFrom(...BROKEN_FIELDS[field]!).map((value) => withBody(JSON.stringify({ ...valid, [field]: value })))),
    // A broken message among valid ones, with odd text in the valid ones.
    oddText.map((text) => withBody(JSON.stringify({ ...valid, messages: [{ role: 'user', content: text }, { role: 'user', content: 7 }] }))),
    // Wrong types deep inside: a text part without text, a model name of odd unicode.
    oddText.map((text) => withBody(JSON.stringify({ ...valid, model: `\u0000${text}`, messages: [{ role: 'user', content: [{ type: 'text' }] }] }))),
    // A tool choice naming a tool that is not offered, by any name; a tool message answering an id no call had.
    oddText.map((name) => withBody(JSON.stringify({ ...valid, tools: oneTool, tool_choice: { type: 'function', function: { name } } }))),
    oddText.map((id) => withBody(JSON.stringify({ ...valid, tools: oneTool, messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: `${id}!`, content: 'r' }] }))),
    // Huge fields: over every body limit here (1 MiB at the gateway, 4 MiB at native-server).
    fc.constant(withBody(JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] }))),
    // Header abuse: a wrong content type, a huge or malformed authorization.
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x').map((type) =>
      withBody('model=grok-2-tiny', { ...auth, 'content-type': type }),
    ),
    // A valid body, so that only the credential can refuse it: an auth bypass would answer 200.
    fc.constantFrom('Bearer', `Bearer ${'k'.repeat(8000)}`, 'Basic dXNlcjpwYXNz', `Bearer ${key} extra`).map((authorization) =>
      withBody(JSON.stringify(valid), { ...auth, authorization }),
    ),
  )
}

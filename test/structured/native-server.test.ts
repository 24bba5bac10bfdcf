// response_format through the official openai client and the SDK against native-server on the real tiny Grok-2:
// every answer parses and validates, streamed or not, whatever the model would rather say.
import { startNativeServer, type NativeServer } from '@tandem/native-server'
import { createTandem } from '@tandem/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { schemaArbitrary } from './schema-arbitrary.ts'
import { checkAnswer, isJsonPrefix, SCHEMAS } from './schemas.ts'
import { streamedContent } from '../streamed-content.ts'

let server: NativeServer
let client: OpenAI
beforeAll(async () => {
  server = await startNativeServer({ port: 0, threads: 2, parallel: 2, contextSize: 512, logLevel: 'error' })
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
})
afterAll(() => server?.close())

const model = 'grok-2-tiny'
const messages = [{ role: 'user' as const, content: 'Tell me about a person you know.' }]
const format = (name: keyof typeof SCHEMAS) => ({ type: 'json_schema' as const, json_schema: { name, schema: SCHEMAS[name] as unknown as Record<string, unknown>, strict: true } })

describe('response_format on native-server', { timeout: 120_000 }, () => {
  it.each(Object.keys(SCHEMAS) as Array<keyof typeof SCHEMAS>)('answers %s with JSON that validates, whole', async (name) => {
    const completion = await client.chat.completions.create({ model, messages, seed: 1, temperature: 1, max_tokens: 400, response_format: format(name) })
    const choice = completion.choices[0]!
    expect(checkAnswer(SCHEMAS[name], choice.message.content).errors).toEqual([])
    expect(choice.finish_reason).toBe('stop')
  })

  it.each(Object.keys(SCHEMAS) as Array<keyof typeof SCHEMAS>)('streams %s as JSON that validates once joined', async (name) => {
    const stream = await client.chat.completions.create({ model, messages, seed: 3, temperature: 1, max_tokens: 400, response_format: format(name), stream: true })
    const { text, pieces } = await streamedContent(stream)
    expect(pieces).toBeGreaterThan(1)
    expect(checkAnswer(SCHEMAS[name], text).errors).toEqual([])
  })

  it('answers random schemas of the subset with JSON that validates, every time', { timeout: 300_000 }, async () => {
    let asked = 0
    await fc.assert(
      fc.asyncProperty(schemaArbitrary, fc.integer({ min: 0, max: 2 ** 31 }), async (schema, seed) => {
        const completion = await client.chat.completions.create({
          model, messages, seed, temperature: 1, max_tokens: 500,
          response_format: { type: 'json_schema', json_schema: { name: 'random', schema } },
        })
        const choice = completion.choices[0]!
        expect(checkAnswer(schema, choice.message.content).errors, `${JSON.stringify(schema)} → ${choice.message.content}`).toEqual([])
        expect(choice.finish_reason).toBe('stop')
        asked++
      }),
      { numRuns: 16, seed: 20261207 },
    )
    expect(asked).toBe(16)
  })

  // Nothing bounds a free object's strings: the tiny model, never taught JSON, writes keys until
  // max_tokens, as OpenAI's models may. What it wrote is still JSON, cut where it stopped.
  it('answers json_object with a JSON object, or its start when max_tokens cuts it', async () => {
    const completion = await client.chat.completions.create({ model, messages, seed: 1, temperature: 0.7, max_tokens: 60, response_format: { type: 'json_object' } })
    const { content } = completion.choices[0]!.message
    expect(content!.startsWith('{')).toBe(true)
    if (completion.choices[0]!.finish_reason === 'stop') expect(checkAnswer({ type: 'object' }, content).errors).toEqual([])
    else expect(isJsonPrefix(content!), content!).toBe(true)
  })

  it('gives the SDK schema-valid JSON on the remote route, and refuses a bad schema before any route', async () => {
    const tandem = createTandem({ model, remote: { baseURL: `${server.url}/v1`, apiKey: 'sk_unused' }, route: 'remote-only' })
    const completion = await tandem.chat.completions.create({ messages, seed: 4, temperature: 1, max_tokens: 300, response_format: format('tags') })
    expect(checkAnswer(SCHEMAS.tags, completion.choices[0]!.message.content).errors).toEqual([])
    const refused = tandem.chat.completions.create({ messages, response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'array', items: [{ type: 'string' }] } } } })
    await expect(refused).rejects.toMatchObject({ code: 'invalid_request', param: 'response_format.json_schema.schema.items', message: 'response_format.json_schema.schema.items: expected a JSON Schema object' })
  })

  it('refuses a schema outside the subset with 400 naming the keyword, before generating', async () => {
    const refused = client.chat.completions.create({
      model,
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object', properties: { n: { type: 'number', multipleOf: 2 } } } } },
    })
    await expect(refused).rejects.toMatchObject({
      status: 400,
      param: 'response_format.json_schema.schema.properties.n.multipleOf',
      message: expect.stringContaining('"multipleOf" is not supported'),
    })
  })
})

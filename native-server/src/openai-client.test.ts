// The official openai client, unchanged, against the server on the real tiny Grok-2.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '@tandem/protocol'
import { startNativeServer, type NativeServer } from './server.ts'

let server: NativeServer
let client: OpenAI
beforeAll(async () => {
  server = await startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 256, parallel: 2, logger: silentLogger })
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
})
afterAll(() => server?.close())

const messages = [{ role: 'user' as const, content: 'Tell me a story' }]

describe('the openai client', () => {
  it('lists the models', async () => {
    const models = await client.models.list()
    expect(models.data.map((model) => model.id)).toEqual(['grok-2-tiny'])
  })

  // vLLM's extension, as its users pass it through the openai client (a spread, past the client's types).
  const exactLength = { ignore_eos: true }

  it('creates a completion', async () => {
    const completion = await client.chat.completions.create({ model: 'grok-2-tiny', messages, max_tokens: 8, seed: 4, ...exactLength })
    expect(completion.choices[0]!.finish_reason).toBe('length')
    expect(completion.usage).toMatchObject({ completion_tokens: 8 })
    expect(typeof completion.choices[0]!.message.content).toBe('string')
  })

  it('streams the same tokens for the same seed, with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'grok-2-tiny',
      messages,
      max_tokens: 8,
      seed: 4,
      ...exactLength,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let finish: string | null = null
    let completionTokens = 0
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens
    }
    const again = await client.chat.completions.create({ model: 'grok-2-tiny', messages, max_tokens: 8, seed: 4, ...exactLength })
    expect([finish, completionTokens]).toEqual(['length', 8])
    expect(text).toBe(again.choices[0]!.message.content)
  })

  it('continues an assistant prefix sent as an extra field', async () => {
    const completion = await client.chat.completions.create({
      model: 'grok-2-tiny',
      messages: [...messages, { role: 'assistant', content: 'Once upon', prefix: true } as OpenAI.ChatCompletionAssistantMessageParam],
      max_tokens: 4,
    })
    expect(completion.usage!.prompt_tokens).toBeGreaterThan((await client.chat.completions.create({ model: 'grok-2-tiny', messages, max_tokens: 1 })).usage!.prompt_tokens)
  })

  it('raises the client\'s own error types with the code and param', async () => {
    const unknown = client.chat.completions.create({ model: 'grok-9', messages })
    await expect(unknown).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' })
    await expect(client.chat.completions.create({ model: 'grok-2-tiny', messages, n: 2 })).rejects.toMatchObject({ status: 400, param: 'n' })
  })
})

// The AI SDK's generateObject through its own openai-compatible provider, against native-server on the
// real tiny Grok-2: a zod schema becomes response_format json_schema, and the object comes back valid.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { startNativeServer, type NativeServer } from '@tandem/native-server'
import { generateObject } from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

let server: NativeServer
beforeAll(async () => {
  server = await startNativeServer({ port: 0, threads: 2, parallel: 2, contextSize: 512, logLevel: 'error' })
})
afterAll(() => server?.close())

const person = z.object({
  name: z.string().max(20),
  age: z.int(),
  role: z.enum(['admin', 'user', 'guest']),
  tags: z.array(z.string().max(8)).max(3),
  verified: z.boolean().nullable(),
})

describe('generateObject through @ai-sdk/openai-compatible', { timeout: 120_000 }, () => {
  it('gets an object that its zod schema accepts', async () => {
    const provider = createOpenAICompatible({ name: 'tandem', baseURL: `${server.url}/v1`, supportsStructuredOutputs: true })
    for (const seed of [1, 2]) {
      const { object, finishReason } = await generateObject({ model: provider('grok-2-tiny'), schema: person, prompt: 'Describe a person.', seed, temperature: 1, maxOutputTokens: 300 })
      expect(person.parse(object)).toEqual(object)
      expect(finishReason).toBe('stop')
    }
  })
})

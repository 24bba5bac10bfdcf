// The SDK's remote route against a real native-server on the real tiny Grok-2.
import { startNativeServer, type NativeServer } from '@tandem/native-server'
import { createTandem, TandemError } from '@tandem/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverText } from './server-text.ts'

let server: NativeServer
beforeAll(async () => {
  server = await startNativeServer({ port: 0, threads: 2, parallel: 2, logLevel: 'error' })
})
afterAll(() => server?.close())

// Byte b is token b in the tiny vocabulary: pushing 128–255 down keeps the text ASCII, so it can be compared.
const ascii = Object.fromEntries(Array.from({ length: 128 }, (_, i) => [String(128 + i), -100]))
const messages = [{ role: 'user' as const, content: 'Say something.' }]
// The trained tiny model ends its turn after about 12 tokens here, often within the chunks a test
// waits for before it aborts; past the end of the turn (ignore_eos) a stream stopped after a few
// chunks is cut, not finished, so the server must count a cancellation.
const long = { max_tokens: 2000, temperature: 0, ignore_eos: true }
const client = () => createTandem({ model: 'grok-2-tiny', remote: { baseURL: `${server.url}/v1`, apiKey: 'sk_unused' } })

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
  return line ? Number(line.split(' ').at(-1)) : 0
}

describe('the SDK on the remote route', () => {
  it('streams the same text the server sends, and says which route it took and why', async () => {
    const request = { messages, max_tokens: 24, temperature: 0, logit_bias: ascii }
    const stream = await client().chat.completions.create({ ...request, stream: true })
    expect(stream.route).toBe('remote')
    expect(stream.plan.reasons).toContain('no local runtime configured (options.local)')
    let text = ''
    let chunks = 0
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      chunks++
    }
    expect(chunks).toBeGreaterThan(2)
    expect(text).toBe(await serverText(server.url, { model: 'grok-2-tiny', ...request }))
    expect(text.length).toBeGreaterThan(0)
  })

  it('returns a ChatCompletion with usage when not streaming', async () => {
    const completion = await client().chat.completions.create({ messages, max_tokens: 8, temperature: 0 })
    expect(completion.object).toBe('chat.completion')
    expect(completion.usage.completion_tokens).toBeLessThanOrEqual(8)
    expect(completion.usage.prompt_tokens).toBeGreaterThan(5)
    expect(['stop', 'length']).toContain(completion.choices[0]!.finish_reason)
  })

  it('aborts: the loop ends with an aborted error and the server stops generating', async () => {
    const before = await metric('tandem_cancellations_total')
    const stream = await client().chat.completions.create({ messages, ...long, stream: true })
    let seen = 0
    const error = await (async () => {
      try {
        for await (const _ of stream) if (++seen === 3) stream.abort()
      } catch (e) {
        return e
      }
    })()
    expect(TandemError.isInstance(error) && error.code).toBe('aborted')
    await expect.poll(() => metric('tandem_cancellations_total'), { timeout: 20_000 }).toBeGreaterThan(before)
  })

  it('leaving the loop early stops generation too', async () => {
    const before = await metric('tandem_cancellations_total')
    const stream = await client().chat.completions.create({ messages, ...long, stream: true })
    for await (const _ of stream) break
    await expect.poll(() => metric('tandem_cancellations_total'), { timeout: 20_000 }).toBeGreaterThan(before)
  })

  it("reports the server's errors with stable codes and the server's message", async () => {
    const tandem = client()
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as TandemError)

    const unknown = await failure(tandem.chat.completions.create({ model: 'grok-9', messages }))
    expect([unknown?.code, unknown?.status]).toEqual(['not_found', 404])
    expect(unknown?.message).toMatch(/grok-9/)

    const long = await failure(tandem.chat.completions.create({ messages: [{ role: 'user', content: 'x '.repeat(5000) }] }))
    expect([long?.code, long?.status]).toEqual(['context_length_exceeded', 400])

    // Checked before anything is sent, with the field named.
    const invalid = await failure(tandem.chat.completions.create({ messages, temperature: 7 }))
    expect([invalid?.code, invalid?.param]).toEqual(['invalid_request', 'temperature'])
  })

  it('names the option at fault', () => {
    expect(() => createTandem({ remote: { baseURL: 'not a url', apiKey: 'k' } })).toThrow(/remote/)
    expect(() => createTandem({ route: 'sideways' as never })).toThrow(/^route: /)
  })

  it('retries a server it cannot reach, then fails with a network error', async () => {
    const tandem = createTandem({ model: 'grok-2-tiny', remote: { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' }, maxRetries: 1 })
    const error = await tandem.chat.completions.create({ messages }).then(() => undefined, (e: TandemError) => e)
    expect(error?.code).toBe('network')
    expect(error?.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:9/)
  })
})

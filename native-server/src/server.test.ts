// The whole server over HTTP, on the real tiny Grok-2: endpoints, limits, faults and bad input.
import fc from 'fast-check'
import { decodeChatStream, errorEnvelopeSchema, silentLogger, type ChatCompletion, type ChatCompletionChunk } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNativeServer, type NativeServer } from './server.ts'

let server: NativeServer
beforeAll(async () => {
  server = await startNativeServer({
    port: 0,
    threads: 1,
    gpu: 'cpu',
    contextSize: 1024,
    parallel: 1,
    queueDepth: 1,
    maxTokens: 2000,
    maxBodyBytes: 64 * 1024,
    logger: silentLogger,
  })
})
afterAll(() => server?.close())

const MODEL = 'grok-2-tiny'
const messages = [{ role: 'user', content: 'Hello' }]
/** Runs to the end of the context: greedy and in ASCII, the tiny model does not end its turn. */
const LONG = { max_tokens: 2000, temperature: 0, ignore_eos: true }

function post(body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  })
}

async function errorOf(response: Response) {
  return errorEnvelopeSchema.parse(await response.json()).error
}

async function chunksOf(response: Response): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = []
  for await (const part of decodeChatStream(response.body!)) {
    if (part.type === 'error') throw part.error
    if (part.type === 'chunk') chunks.push(part.chunk)
  }
  return chunks
}

const metric = async (name: string) => {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))
  return Number(line?.split(' ').at(-1) ?? NaN)
}

describe('native-server over HTTP', () => {
  it('answers health, readiness, the model list and metrics', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' })
    expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ status: 'ready' })
    const models = await (await fetch(`${server.url}/v1/models`)).json()
    expect(models).toMatchObject({ object: 'list', data: [{ id: MODEL, object: 'model', owned_by: 'tandem' }] })
    const metrics = await fetch(`${server.url}/metrics`)
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await metrics.text()
    for (const name of [
      'tandem_requests_total',
      'tandem_queue_depth',
      'tandem_active_sequences',
      'tandem_prompt_tokens_total',
      'tandem_completion_tokens_total',
      'tandem_time_to_first_token_seconds',
      'tandem_tokens_per_second',
      'tandem_cancellations_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `)
    }
  })

  it('streams SSE with usage when asked, and answers whole completions otherwise', async () => {
    // Greedy: a sampled token may end the turn early (about 1 in 300 each), and the test is about `length`.
    const streamed = await post({ model: MODEL, messages, max_tokens: 6, temperature: 0, stream: true, stream_options: { include_usage: true } })
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const chunks = await chunksOf(streamed)
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('length')
    expect(chunks.at(-1)!.usage).toMatchObject({ completion_tokens: 6 })

    const plain = await chunksOf(await post({ model: MODEL, messages, max_tokens: 3, temperature: 0, stream: true }))
    expect(plain.some((chunk) => chunk.usage)).toBe(false)

    const whole = await post({ model: MODEL, messages, max_tokens: 5, temperature: 0 })
    const completion = (await whole.json()) as ChatCompletion
    expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ finish_reason: 'length', message: { role: 'assistant' } }] })
    expect(completion.usage.completion_tokens).toBe(5)
    expect(whole.headers.get('x-request-id')).toBeTruthy()
  })

  it('puts llama.cpp’s running timings on every chunk when asked: a chunk of joined tokens says how many', async () => {
    const response = await post({ model: MODEL, messages, max_tokens: 300, temperature: 0, ignore_eos: true, stream: true, timings_per_token: true, stream_options: { include_usage: true } })
    // The decoder strips fields OpenAI's chunks lack, so read the events as sent.
    const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('data: {')).map((event) => JSON.parse(event.slice(6)) as ChatCompletionChunk & { timings?: { prompt_n: number; predicted_n: number } })
    const usage = events.at(-1)!.usage!
    const counts = events.slice(0, -1).map((event) => event.timings?.predicted_n)
    expect(counts.every((count, i) => count !== undefined && (i === 0 || count >= counts[i - 1]!))).toBe(true)
    expect(counts.at(-1)).toBe(300)
    expect(usage.completion_tokens).toBe(300)
    expect(events.every((event) => event.usage !== undefined || event.timings?.prompt_n === usage.prompt_tokens)).toBe(true)
  })

  it('reports each kind of bad request as an OpenAI error naming the field', async () => {
    const cases: Array<[unknown, number, string, string | null]> = [
      ['{"model": ', 400, 'invalid_request', null],
      [{ model: MODEL }, 400, 'invalid_request', 'messages'],
      [{ model: 'gpt-9', messages }, 404, 'model_not_found', 'model'],
      [{ model: MODEL, messages: [{ role: 'user', content: Array.from({ length: 400 }, (_, i) => i).join(' ') }] }, 400, 'context_length_exceeded', 'messages'],
      [{ model: MODEL, messages, n: 2 }, 400, 'invalid_request', 'n'],
      [{ model: MODEL, messages, stop: ['a', 'b', 'c', 'd', 'e'] }, 400, 'invalid_request', 'stop'],
      [{ model: MODEL, messages, max_tokens: 5000 }, 400, 'invalid_request', 'max_tokens'],
      [{ model: MODEL, messages, temperature: 9 }, 400, 'invalid_request', 'temperature'],
      [{ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] }, 413, 'payload_too_large', null],
    ]
    for (const [body, status, code, param] of cases) {
      const response = await post(body)
      expect([response.status, await errorOf(response)], JSON.stringify(body).slice(0, 80)).toEqual([
        status,
        expect.objectContaining({ code, param, message: expect.any(String) }),
      ])
    }
    const notFound = await fetch(`${server.url}/v2/anything`)
    expect([notFound.status, (await errorOf(notFound)).code]).toEqual([404, 'not_found'])
    // A key pasted into a URL does not come back in the answer.
    const pasted = await fetch(`${server.url}/v1/x/sk_live_0123456789abcdefghij`)
    expect([pasted.status, (await errorOf(pasted)).message]).toEqual([404, 'no route GET /v1/x/[redacted]'])
  })

  it('keeps serving after 200 generated malformed requests', async () => {
    const valid = { model: MODEL, messages, max_tokens: 2 }
    const broken: Record<string, unknown[]> = {
      model: [123, '', null, 'no-such-model'],
      messages: [[], 'hello', [{ role: 'wizard', content: 'x' }], [{ role: 'user' }], [{ role: 'user', content: 5 }], [{ role: 'user', content: 'x', prefix: true }]],
      temperature: [-1, 2.5, 'warm'],
      top_p: [0, 1.5],
      max_tokens: [0, -3, 1.5, '10'],
      n: [2, 0],
      stop: [['a', 'b', 'c', 'd', 'e'], [1], 7],
      logit_bias: [{ a: 1 }, { 1: 101 }],
      seed: [0.5, 'seven'],
      stream: ['yes', 1],
    }
    const malformed = fc.oneof(
      fc.string().filter((text) => {
        try {
          JSON.parse(text)
          return false
        } catch {
          return true
        }
      }),
      fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => JSON.stringify(value)),
      fc.constantFrom(...Object.keys(broken)).chain((field) => fc.constantFrom(...broken[field]!).map((value) => JSON.stringify({ ...valid, [field]: value }))),
    )
    let sent = 0
    await fc.assert(
      fc.asyncProperty(malformed, async (body) => {
        const response = await post(body)
        sent++
        expect([400, 404]).toContain(response.status)
        const error = await errorOf(response)
        expect(error.message.length).toBeGreaterThan(0)
      }),
      { numRuns: 200 },
    )
    expect(sent).toBeGreaterThanOrEqual(200)
    const ok = await post(valid)
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as ChatCompletion).usage.completion_tokens).toBe(2)
  })

  it('queues one request behind the running one and refuses the next with 429 and Retry-After', async () => {
    const running = new AbortController()
    const first = await post({ model: MODEL, messages, ...LONG, stream: true }, { signal: running.signal })
    const reader = first.body!.getReader()
    await reader.read()
    const queued = post({ model: MODEL, messages, max_tokens: 2 })
    await expect.poll(() => server.engine.stats().queued).toBe(1)
    expect(await metric('tandem_queue_depth')).toBe(1)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503)

    const refused = await post({ model: MODEL, messages, max_tokens: 2 })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect((await errorOf(refused)).code).toBe('rate_limited')

    running.abort()
    const served = await queued
    expect(served.status).toBe(200)
  })

  it('stops a generation whose client disconnects, counts it, and gives the slot to the next request', async () => {
    await expect.poll(() => server.engine.stats().active).toBe(0)
    const cancelledBefore = await metric('tandem_cancellations_total')
    const client = new AbortController()
    const response = await post({ model: MODEL, messages, ...LONG, stream: true }, { signal: client.signal })
    const reader = response.body!.getReader()
    await reader.read()
    expect(await metric('tandem_active_sequences')).toBe(1)
    client.abort()
    await expect.poll(() => metric('tandem_active_sequences')).toBe(0)
    await expect.poll(() => metric('tandem_cancellations_total')).toBe(cancelledBefore + 1)
    const completionTokens = await metric('tandem_completion_tokens_total')

    // With one sequence and the queue empty, this only succeeds if the cancelled one let go of it.
    const next = await post({ model: MODEL, messages, max_tokens: 3 })
    expect(next.status).toBe(200)
    expect(await metric('tandem_completion_tokens_total')).toBe(completionTokens + 3)
  })
})

describe('native-server draining', () => {
  it('answers new requests 503 with Retry-After while running ones finish, then stops listening', async () => {
    const draining = await startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 1024, parallel: 1, queueDepth: 1, logger: silentLogger })
    const send = (body: unknown, init: RequestInit = {}) =>
      fetch(`${draining.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init })
    const client = new AbortController()
    const running = await send({ model: MODEL, messages, ...LONG, stream: true }, { signal: client.signal })
    const reader = running.body!.getReader()
    await reader.read()

    const stopped = draining.shutdown(60_000)
    // On a new connection (the only other one is busy streaming): the server still listens while its stream runs.
    const refused = await send({ model: MODEL, messages, max_tokens: 2 })
    expect([refused.status, refused.headers.get('retry-after'), refused.headers.get('connection')]).toEqual([503, '1', 'close'])
    expect((await errorOf(refused)).code).toBe('upstream_unavailable')
    const ready = await fetch(`${draining.url}/readyz`)
    expect([ready.status, ((await ready.json()) as { reason: string }).reason]).toEqual([503, 'shutting down'])

    client.abort()
    await stopped
    expect(await fetch(`${draining.url}/healthz`).then((response) => response.status, (error: { cause?: { code?: string } }) => error.cause?.code)).toBe('ECONNREFUSED')
  })
})

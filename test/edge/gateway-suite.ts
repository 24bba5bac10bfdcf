// One suite for both entries of the gateway (workerd and Node), in front of two real
// native-servers on the tiny Grok-2: one in this process, one in its own process so it can be killed.
import fc from 'fast-check'
import { sign } from 'hono/jwt'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeChatStream, errorEnvelopeSchema, type ChatCompletionChunk, type ChatStreamPart } from '@tandem/protocol'
import { BROKEN_FIELDS } from '../faults/hostile-requests.ts'
import { checkAnswer, SCHEMAS } from '../structured/schemas.ts'
import {
  closeAll,
  gatewayEnv,
  keys,
  METERED_TPM,
  metric,
  MODEL,
  spawnUpstream,
  startUpstream,
  TOKEN_SECRET,
  WEB_ORIGIN,
  type Gateway,
  type Upstream,
  type UpstreamProcess,
} from './harness.ts'

export interface SuiteOptions {
  readonly runtime: string
  readonly start: (env: Record<string, string>) => Promise<Gateway>
  /** The gateway's own log lines, where the runtime lets a test read them. */
  readonly logs?: () => readonly string[]
  /** Client aborts to try before one must reach native-server (see the workerd suite). */
  readonly abortTries?: number
}

const messages = [{ role: 'user', content: 'Hello there' }]
// Greedy, and on past the end of the turn (ignore_eos): exactly max_tokens long.
const chat = (extra: Record<string, unknown> = {}) => ({ model: MODEL, messages, max_tokens: 4, temperature: 0, ignore_eos: true, ...extra })
/** A generation that runs for a while (4000 tokens). */
const long = () => chat({ stream: true, max_tokens: 4000 })

async function partsOf(response: Response): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = []
  for await (const part of decodeChatStream(response.body!)) parts.push(part)
  return parts
}

function chunksOf(parts: readonly ChatStreamPart[]): ChatCompletionChunk[] {
  return parts.flatMap((part) => (part.type === 'chunk' ? [part.chunk] : []))
}

/** A seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

/** The JSON of each complete `data:` event in `text`, and what is left of an unfinished one. */
function dataEvents(text: string): { events: unknown[]; rest: string } {
  const blocks = text.split('\n\n')
  const rest = blocks.pop()!
  const events = blocks.flatMap((block) => block.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)) as unknown))
  return { events, rest }
}

async function envelope(response: Response) {
  return errorEnvelopeSchema.parse(await response.json()).error
}

export function gatewaySuite({ runtime, start, logs, abortTries = 1 }: SuiteOptions): void {
  describe(`the gateway in ${runtime}, in front of two native-servers`, () => {
    let local: Upstream | undefined
    let remote: UpstreamProcess | undefined
    let gateway: Gateway | undefined
    const upstreams = () => [local!.server, remote!]

    beforeAll(async () => {
      try {
        ;[local, remote] = await Promise.all([startUpstream(), spawnUpstream()])
        gateway = await start(gatewayEnv([local.server.url, remote.url], { EDGE_MAX_BODY_BYTES: String(1024 * 1024) }))
      } catch (error) {
        await closeAll(gateway, local?.server, remote)
        throw error
      }
    })
    afterAll(() => closeAll(gateway, local?.server, remote))

    /** `key: null` sends no credential. */
    function post(body: unknown, { key = keys.secret, origin, headers = {}, signal, path = '/v1/chat/completions' }: { key?: string | null; origin?: string; headers?: Record<string, string>; signal?: AbortSignal; path?: string } = {}) {
      return fetch(`${gateway!.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key !== null && { authorization: `Bearer ${key}` }),
          ...(origin !== undefined && { origin }),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        signal,
      })
    }

    async function mintedToken(): Promise<string> {
      return ((await (await post({ subject: 'page-user' }, { path: '/v1/tokens' })).json()) as { token: string }).token
    }

    const upstreamRequests = async () => (await Promise.all(upstreams().map((u) => metric(u, 'tandem_requests_total')))).reduce((a, b) => a + b, 0)

    it('is ready, without credentials, as soon as it has seen its upstreams ready (no chat request first)', async () => {
      const ready = await fetch(`${gateway!.url}/readyz`)
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', upstreams: { ready: 2, total: 2 } }])
    })

    it('streams a completion end to end, and answers whole ones, with usage only when asked', async () => {
      const streamed = await post(chat({ stream: true, max_tokens: 8 }))
      expect(streamed.status).toBe(200)
      expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/)
      expect(streamed.headers.get('content-encoding')).toBeNull()
      expect(streamed.headers.get('x-ratelimit-limit-requests')).toBe('100000')
      const parts = await partsOf(streamed)
      expect(parts.at(-1)).toEqual({ type: 'done' })
      const chunks = chunksOf(parts)
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length')
      expect(chunks.some((chunk) => chunk.usage)).toBe(false)
      expect(chunks.every((chunk) => chunk.model === MODEL && chunk.id === chunks[0]!.id)).toBe(true)

      const withUsage = chunksOf(await partsOf(await post(chat({ stream: true, max_tokens: 8, stream_options: { include_usage: true } }))))
      expect(withUsage.at(-1)?.usage).toMatchObject({ completion_tokens: 8 })

      const whole = await post(chat({ max_tokens: 5 }))
      expect(whole.status).toBe(200)
      const completion = (await whole.json()) as { object: string; usage: { completion_tokens: number }; choices: Array<{ finish_reason: string; message: { content: string } }> }
      expect(completion).toMatchObject({ object: 'chat.completion', usage: { completion_tokens: 5 }, choices: [{ finish_reason: 'length' }] })
      expect(typeof completion.choices[0]!.message.content).toBe('string')
    })

    it('works with the openai client unchanged', async () => {
      const client = new OpenAI({ apiKey: keys.secret, baseURL: `${gateway!.url}/v1`, maxRetries: 0 })
      // vLLM's extension, as its users pass it through the openai client (a spread, past the client's types).
      const exactLength = { ignore_eos: true }
      expect((await client.models.list()).data.map((model) => model.id)).toEqual([MODEL])
      const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3, temperature: 0, ...exactLength })
      expect(completion.usage?.completion_tokens).toBe(3)
      const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6, temperature: 0, ...exactLength, stream: true, stream_options: { include_usage: true } })
      let finish: string | null | undefined
      let usage: OpenAI.CompletionUsage | null | undefined
      for await (const chunk of stream) {
        finish = chunk.choices[0]?.finish_reason ?? finish
        usage = chunk.usage ?? usage
      }
      expect([finish, usage?.completion_tokens]).toEqual(['length', 6])
      const wrong = new OpenAI({ apiKey: 'sk_wrong', baseURL: `${gateway!.url}/v1`, maxRetries: 0 })
      await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
    })

    it('passes tool calls through to the openai client, streamed and whole, and refuses bad tool input before any upstream', async () => {
      const client = new OpenAI({ apiKey: keys.secret, baseURL: `${gateway!.url}/v1`, maxRetries: 0 })
      const tools: OpenAI.ChatCompletionFunctionTool[] = [
        { type: 'function', function: { name: 'define_word', parameters: { type: 'object', properties: { word: { type: 'string', maxLength: 24 } }, required: ['word'] } } },
      ]
      const ask = { model: MODEL, messages: [{ role: 'user' as const, content: 'What is a cat?' }], tools, tool_choice: 'required' as const, parallel_tool_calls: false, max_tokens: 120, seed: 2 }
      const whole = await client.chat.completions.create(ask)
      const stream = client.chat.completions.stream(ask)
      let pieces = 0
      stream.on('chunk', (chunk) => (pieces += chunk.choices[0]?.delta.tool_calls?.length ?? 0))
      const streamed = await stream.finalChatCompletion()
      for (const completion of [whole, streamed]) {
        const [call, ...more] = completion.choices[0]!.message.tool_calls!
        expect([completion.choices[0]!.finish_reason, more]).toEqual(['tool_calls', []])
        expect(call!.type === 'function' && call!.function.name).toBe('define_word')
        const args = JSON.parse(call!.type === 'function' ? call!.function.arguments : '') as { word: unknown }
        expect(typeof args.word).toBe('string')
      }
      // Both from the same seed on the same model: the same call, but each with its own id.
      const [streamedCall, wholeCall] = [streamed, whole].map((completion) => completion.choices[0]!.message.tool_calls![0]!)
      expect(streamedCall!.type === 'function' && wholeCall!.type === 'function' && streamedCall!.function).toEqual(wholeCall!.type === 'function' && wholeCall!.function)
      expect(streamedCall!.id).not.toBe(wholeCall!.id)
      expect(pieces).toBeGreaterThan(1)

      const before = await upstreamRequests()
      for (const [fields, param] of [
        [{ tool_choice: { type: 'function', function: { name: 'missing' } } }, 'tool_choice.function.name'],
        [{ tools: [{ type: 'function', function: { name: 'bad name' } }], tool_choice: 'auto' }, 'tools[0].function.name'],
        [{ tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string', pattern: 'x' } } } } }], tool_choice: 'auto' }, 'tools[0].function.parameters.properties.a.pattern'],
        [{ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }] }, 'messages[1].tool_call_id'],
      ] as const) {
        const error = await client.chat.completions.create({ ...ask, ...fields } as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(OpenAI.BadRequestError)
        expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param)
      }
      expect(await upstreamRequests()).toBe(before)
    })

    it('passes response_format on: the openai client gets schema-valid JSON, whole and streamed', { timeout: 120_000 }, async () => {
      const client = new OpenAI({ apiKey: keys.secret, baseURL: `${gateway!.url}/v1`, maxRetries: 0 })
      const format = (name: keyof typeof SCHEMAS) => ({ type: 'json_schema' as const, json_schema: { name, schema: SCHEMAS[name] as unknown as Record<string, unknown> } })
      const ask = { model: MODEL, messages: [{ role: 'user' as const, content: 'Who are you?' }], max_tokens: 300, seed: 5, temperature: 1 }
      const whole = await client.chat.completions.create({ ...ask, response_format: format('person') })
      expect(checkAnswer(SCHEMAS.person, whole.choices[0]!.message.content).errors).toEqual([])
      const stream = await client.chat.completions.create({ ...ask, response_format: format('tags'), stream: true })
      let text = ''
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
      expect(checkAnswer(SCHEMAS.tags, text).errors).toEqual([])
    })

    it('refuses a schema outside the subset, naming the keyword, before any upstream', async () => {
      const before = await upstreamRequests()
      const schemas: Array<[unknown, string, string]> = [
        [{ type: 'object', properties: { when: { type: 'string', format: 'email' } } }, 'properties.when.format', 'format "email" is not supported; supported: date, time, date-time, uuid'],
        [{ $defs: { node: { type: 'array', items: { $ref: '#/$defs/node' } } }, $ref: '#/$defs/node' }, '$defs.node', 'recursive "$ref" (node → node); recursive schemas are not supported'],
        [{ type: 'object', patternProperties: {} }, 'patternProperties', '"patternProperties" is not supported'],
        ['{"type":"object"}', '', 'expected a JSON Schema object'],
      ]
      for (const [schema, at, message] of schemas) {
        const refused = await post(chat({ stream: true, response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } }))
        const param = `response_format.json_schema.schema${at === '' ? '' : `.${at}`}`
        expect([refused.status, await envelope(refused)]).toEqual([400, { code: 'invalid_request', type: 'invalid_request_error', param, message: `${param}: ${message}` }])
      }
      expect(await upstreamRequests()).toBe(before)
    })

    it('refuses missing, wrong, expired and misplaced credentials with 401/403 before any upstream', async () => {
      const before = await upstreamRequests()
      const now = Math.floor(Date.now() / 1000)
      const expired = await sign({ sub: 'u', key: 'server', iat: now - 120, exp: now - 60 }, TOKEN_SECRET, 'HS256')
      const forged = await sign({ sub: 'u', key: 'server', iat: now, exp: now + 60 }, 'not-the-gateway-secret-but-32-characters-long', 'HS256')
      const revoked = await sign({ sub: 'u', key: 'deleted', iat: now, exp: now + 60 }, TOKEN_SECRET, 'HS256')
      const cases: Array<[string | null, string | undefined, number, string]> = [
        [null, undefined, 401, 'authentication_error'],
        ['sk_edge_test_wrong', undefined, 401, 'authentication_error'],
        ['pk_edge_test_wrong', WEB_ORIGIN, 401, 'authentication_error'],
        [expired, WEB_ORIGIN, 401, 'authentication_error'],
        [forged, WEB_ORIGIN, 401, 'authentication_error'],
        [revoked, WEB_ORIGIN, 401, 'authentication_error'],
        [keys.secret, WEB_ORIGIN, 403, 'permission_error'],
        [keys.publishable, undefined, 403, 'permission_error'],
        [keys.publishable, 'https://elsewhere.example', 403, 'permission_error'],
        [await mintedToken(), 'https://elsewhere.example', 403, 'permission_error'],
      ]
      for (const [key, origin, status, type] of cases) {
        const response = await post(chat(), { key, origin })
        expect([response.status, (await envelope(response)).type]).toEqual([status, type])
      }
      expect(await upstreamRequests()).toBe(before)

      // A site's backend mints a token for its user; the user's browser streams with it.
      const minted = await post({ subject: 'user-42', expires_in: 300 }, { path: '/v1/tokens' })
      const { token, expires_at } = (await minted.json()) as { token: string; expires_at: number }
      expect(expires_at - now).toBeGreaterThan(290)
      const parts = await partsOf(await post(chat({ stream: true }), { key: token, origin: WEB_ORIGIN }))
      expect(parts.at(-1)).toEqual({ type: 'done' })
      expect((await post({ subject: 'x' }, { path: '/v1/tokens', key: token })).status).toBe(403)
    })

    it('limits requests per key exactly, even when they arrive at once, with Retry-After and x-ratelimit-*', async () => {
      const responses = await Promise.all(Array.from({ length: 8 }, () => post(chat({ max_tokens: 1 }), { key: keys.limited })))
      const statuses = responses.map((response) => response.status).sort()
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429])
      for (const response of responses) {
        expect(response.headers.get('x-ratelimit-limit-requests')).toBe('5')
        if (response.status === 429) {
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
          expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0')
          expect(await envelope(response)).toMatchObject({ code: 'rate_limited', type: 'rate_limit_error' })
        } else {
          await response.arrayBuffer()
        }
      }
    })

    it('limits tokens per minute exactly, settling each reservation to what the upstream really used', async () => {
      const limit = 300
      const probe = async () => {
        // Needs more than a minute's allowance: always refused, so it charges nothing and reports what is left.
        const response = await post(chat({ max_tokens: 400 }), { key: keys.frugal })
        expect([response.status, response.headers.get('retry-after')]).toEqual([429, null])
        await response.arrayBuffer()
        return Number(response.headers.get('x-ratelimit-remaining-tokens'))
      }
      expect(await probe()).toBe(limit)
      const first = await post(chat({ max_tokens: 200 }), { key: keys.frugal })
      expect(first.status).toBe(200)
      const used = ((await first.json()) as { usage: { total_tokens: number } }).usage.total_tokens
      await expect.poll(probe).toBe(limit - used)

      // The gateway reserves the prompt at ~4 bytes a token (here 3 + 1 per message) plus max_tokens.
      const reserve = (maxTokens: number) => Math.ceil('Hello there'.length / 4) + 1 + maxTokens
      const fits = limit - used - reserve(0)
      const over = await post(chat({ max_tokens: fits + 1 }), { key: keys.frugal })
      expect(over.status).toBe(429)
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(30)
      const exact = await post(chat({ max_tokens: fits }), { key: keys.frugal })
      expect(exact.status).toBe(200)
      await exact.arrayBuffer()
    })

    it('charges a stream the client leaves for the tokens it delivered, not for its chunks', { timeout: 60_000 }, async () => {
      // Refused for good (it needs more than a minute's allowance): it charges nothing and reports what is left.
      const remaining = async () => {
        const response = await post(chat({ max_tokens: METERED_TPM + 1 }), { key: keys.metered })
        expect(response.status).toBe(429)
        await response.arrayBuffer()
        return Number(response.headers.get('x-ratelimit-remaining-tokens'))
      }
      const next = random(20261207)
      const figures: Array<{ target: number; chunks: number; delivered: number; charged: number }> = []
      for (let point = 0; point < 4; point++) {
        const target = 20 + Math.floor(next() * 700)
        for (let attempt = 1; ; attempt++) {
          const before = await remaining()
          const client = new AbortController()
          const id = `charge-${point}-${attempt}-${Date.now()}`
          const response = await post(chat({ stream: true, max_tokens: 1000 }), { key: keys.metered, signal: client.signal, headers: { 'x-request-id': id } })
          expect(response.status).toBe(200)
          // Read as the bytes come, and leave as soon as the target is passed: what was read is what was delivered.
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
          let buffered = ''
          let chunks = 0
          let delivered = 0
          let prompt = 0
          while (delivered < target) {
            const read = await reader.read()
            if (read.done) break
            const { events, rest } = dataEvents(buffered + read.value)
            buffered = rest
            for (const event of events as Array<{ timings?: { prompt_n: number; predicted_n: number } }>) {
              chunks++
              delivered = event.timings?.predicted_n ?? delivered
              prompt = event.timings?.prompt_n ?? prompt
            }
          }
          client.abort()
          // native-server logs how each generation ended: 'left' once the gateway passed the abort on.
          const ended = () => [...local!.lines, ...remote!.lines].find((line) => line.includes(id) && line.includes('"outcome"'))
          await expect.poll(ended, { timeout: 10_000 }).toBeDefined()
          if ((JSON.parse(ended()!) as { outcome: string }).outcome !== 'left' && attempt < abortTries) continue
          // Reserved at the start (the prompt's estimate and max_tokens), settled when the relay ends.
          await expect.poll(async () => before - (await remaining()), { timeout: 10_000 }).toBeLessThan(1000)
          figures.push({ target, chunks, delivered, charged: before - (await remaining()) - prompt })
          break
        }
      }
      console.log(`[${runtime}] aborted streams, charged completion tokens vs delivered: ${figures.map((f) => `${f.charged}/${f.delivered} (${f.chunks} chunks)`).join(', ')}`)
      for (const { delivered, charged } of figures) {
        expect(delivered).toBeGreaterThan(0)
        // What the client read, and at most what was already on its way when it left.
        expect(charged).toBeGreaterThanOrEqual(delivered)
        expect(charged).toBeLessThanOrEqual(delivered + Math.max(64, delivered * 0.25))
      }
    })

    it('counts the tokens a key minted against the key’s own limits, however many subjects it made', async () => {
      const subjects = Array.from({ length: 12 }, (_, i) => `subject-${i}`)
      const tokens: string[] = []
      for (const subject of subjects) {
        const minted = await post({ subject }, { key: keys.minter, path: '/v1/tokens' })
        expect(minted.status).toBe(200)
        tokens.push(((await minted.json()) as { token: string }).token)
      }
      // The key's 40 a minute: 12 went to minting; each subject's share (3) would allow 36 more.
      const responses = await Promise.all(tokens.flatMap((token) => [1, 2, 3].map(() => post(chat({ max_tokens: 1 }), { key: token }))))
      await Promise.all(responses.map((response) => response.arrayBuffer()))
      const statuses = responses.map((response) => response.status)
      const admitted = statuses.filter((status) => status === 200).length
      console.log(`[${runtime}] key rpm 40, subject share 3: 12 mints, then ${statuses.length} requests from ${subjects.length} subjects: ${admitted} admitted, ${statuses.filter((s) => s === 429).length} refused`)
      expect([admitted, statuses.filter((status) => status === 429).length]).toEqual([28, 8])
      expect((await post(chat({ max_tokens: 1 }), { key: keys.minter })).status).toBe(429)
    })

    it('answers CORS preflight from any origin without touching an upstream, and lets a page elsewhere read only its origin refusal', async () => {
      const before = await upstreamRequests()
      const preflight = (origin: string) =>
        fetch(`${gateway!.url}/v1/chat/completions`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
        })
      const allowed = await preflight(WEB_ORIGIN)
      expect(allowed.status).toBe(204)
      expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN)
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/)
      // A preflight carries no credential to judge: granted, so that the page can read why its key is refused.
      expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBe('https://elsewhere.example')
      const refused = await post(chat({ stream: true }), { key: keys.publishable, origin: 'https://elsewhere.example' })
      expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([403, 'https://elsewhere.example'])
      expect(await envelope(refused)).toMatchObject({ code: 'origin_not_allowed', message: expect.stringContaining('--allow-origin https://elsewhere.example') })
      const unknown = await post(chat(), { key: 'pk_edge_test_wrong', origin: 'https://elsewhere.example' })
      expect([unknown.status, unknown.headers.get('access-control-allow-origin')]).toEqual([401, null])
      await unknown.arrayBuffer()
      expect(await upstreamRequests()).toBe(before)

      const fromPage = await post(chat({ stream: true }), { key: keys.publishable, origin: WEB_ORIGIN })
      expect(fromPage.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN)
      expect(fromPage.headers.get('access-control-expose-headers')).toContain('x-request-id')
      expect((await partsOf(fromPage)).at(-1)).toEqual({ type: 'done' })
    })

    it('lists each model with its upstreams’ created time and context', async () => {
      const list = (await (await fetch(`${gateway!.url}/v1/models`, { headers: { authorization: `Bearer ${keys.secret}` } })).json()) as { data: Array<{ created: number; max_model_len?: number }> }
      const now = Math.floor(Date.now() / 1000)
      expect(list.data).toEqual([expect.objectContaining({ id: MODEL, max_model_len: 4096 })])
      // The earliest load time of the two native-servers: a real time, before now, and the same on the next call.
      expect(list.data[0]!.created).toBeGreaterThan(now - 3600)
      expect(list.data[0]!.created).toBeLessThanOrEqual(now)
      await new Promise((resolve) => setTimeout(resolve, 1100))
      const again = (await (await fetch(`${gateway!.url}/v1/models`, { headers: { authorization: `Bearer ${keys.secret}` } })).json()) as { data: Array<{ created: number }> }
      expect(again.data[0]!.created).toBe(list.data[0]!.created)
    })

    it('refuses a prompt that cannot fit the model’s context before any upstream, uncharged', async () => {
      const before = await upstreamRequests()
      const huge = await post({ model: MODEL, messages: Array.from({ length: 30_000 }, () => ({ role: 'user', content: 'x' })), stream: true })
      expect(huge.status).toBe(400)
      expect(await envelope(huge)).toEqual({
        code: 'context_length_exceeded',
        type: 'invalid_request_error',
        param: 'messages',
        message: "messages: the prompt is at least 31874 tokens, and this model's context holds 4096",
      })
      expect(huge.headers.get('x-ratelimit-remaining-requests')).toBeNull()
      expect(await upstreamRequests()).toBe(before)
      // What may fit still goes on: native-server counts, and refuses what does not.
      const edge = await post({ model: MODEL, messages: Array.from({ length: 3_500 }, () => ({ role: 'user', content: 'x' })) })
      expect([edge.status, (await envelope(edge)).code]).toEqual([400, 'context_length_exceeded'])
      expect(await upstreamRequests()).toBe(before + 1)
    })

    it('limits a key’s concurrent requests, giving a place back when a stream ends, fails before its first byte, or its client leaves', async () => {
      const active = async () => (await Promise.all(upstreams().map((u) => metric(u, 'tandem_active_sequences')))).reduce((a, b) => a + b, 0)
      const open = async () => {
        const client = new AbortController()
        const response = await post(long(), { key: keys.narrow, signal: client.signal })
        expect(response.status).toBe(200)
        const reader = response.body!.getReader()
        await reader.read()
        return client
      }
      const third = async () => post(chat({ max_tokens: 1 }), { key: keys.narrow })
      await expect.poll(active).toBe(0)
      const clients = [await open(), await open()]
      const before = await upstreamRequests()
      const refused = await third()
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '1'])
      expect(await envelope(refused)).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/this key may have 2 chat completions running/) })
      expect(await upstreamRequests()).toBe(before)

      // The client leaves: its place comes back.
      clients[0]!.abort()
      await expect
        .poll(async () => {
          const response = await third()
          await response.arrayBuffer()
          return response.status
        }, { timeout: 10_000 })
        .toBe(200)
      clients[1]!.abort()
      await expect.poll(active, { timeout: 10_000 }).toBe(0)
      // Streams that end, and requests an upstream refuses, give theirs back too: many times the limit in turn.
      for (let i = 0; i < 3; i++) {
        expect((await partsOf(await post(chat({ stream: true }), { key: keys.narrow }))).at(-1)).toEqual({ type: 'done' })
        // A token the model does not have: the gateway cannot know, native-server refuses it.
        const unsupported = await post(chat({ stream: true, logit_bias: { '99999999': 1 } }), { key: keys.narrow })
        expect(unsupported.status).toBe(400)
        await unsupported.arrayBuffer()
      }
      const again = [await open(), await open()]
      for (const client of again) client.abort()
      await expect.poll(active, { timeout: 10_000 }).toBe(0)
    })

    it('answers 200+ generated malformed requests with 4xx before any upstream, and keeps serving', async () => {
      const before = await upstreamRequests()
      const valid = chat({ max_tokens: 2 })
      // Over the gateway's 1 MiB body limit too.
      const broken: Record<string, unknown[]> = { ...BROKEN_FIELDS, messages: [...BROKEN_FIELDS.messages!, [{ role: 'user', content: 'x'.repeat(1_100_000) }]] }
      const notJson = fc.string().filter((text) => {
        try {
          JSON.parse(text)
          return false
        } catch {
          return true
        }
      })
      const request = fc.oneof(
        notJson.map((body) => ({ body, key: keys.secret as string | null })),
        fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => ({ body: JSON.stringify(value), key: keys.secret as string | null })),
        fc.constantFrom(...Object.keys(broken)).chain((field) => fc.constantFrom(...broken[field]!).map((value) => ({ body: JSON.stringify({ ...valid, [field]: value }), key: keys.secret as string | null }))),
        fc.constantFrom(null, 'sk_nope', 'Basic', keys.publishable).map((key) => ({ body: JSON.stringify(valid), key })),
      )
      let sent = 0
      await fc.assert(
        fc.asyncProperty(request, async ({ body, key }) => {
          const response = await post(body, { key })
          sent++
          expect(response.status).toBeGreaterThanOrEqual(400)
          expect(response.status).toBeLessThan(500)
          expect((await envelope(response)).message.length).toBeGreaterThan(0)
        }),
        { numRuns: 220 },
      )
      expect(sent).toBeGreaterThanOrEqual(200)
      expect(await upstreamRequests()).toBe(before)
      const ok = await post(valid)
      expect(ok.status).toBe(200)
      expect(((await ok.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(2)
    })

    it('carries the request id to native-server and back', async () => {
      const id = `edge-test-${Date.now()}`
      const response = await post(chat(), { headers: { 'x-request-id': id } })
      expect(response.headers.get('x-request-id')).toBe(id)
      await response.arrayBuffer()
      const upstreamLines = [...local!.lines, ...remote!.lines].filter((line) => line.includes(id))
      expect(upstreamLines.length).toBeGreaterThan(0)
      if (logs) expect(logs().filter((line) => line.includes(id)).length).toBeGreaterThan(0)
    })

    it('aborts the upstream generation when the client goes away', async () => {
      const cancelled = async () => (await Promise.all(upstreams().map((u) => metric(u, 'tandem_cancellations_total')))).reduce((a, b) => a + b, 0)
      const active = async () => (await Promise.all(upstreams().map((u) => metric(u, 'tandem_active_sequences')))).reduce((a, b) => a + b, 0)
      let outcome: string | undefined
      for (let attempt = 1; attempt <= abortTries && outcome !== 'left'; attempt++) {
        await expect.poll(active).toBe(0)
        const before = await cancelled()
        const client = new AbortController()
        const id = `abort-${attempt}-${Date.now()}`
        const response = await post(long(), { signal: client.signal, headers: { 'x-request-id': id } })
        const reader = response.body!.getReader()
        await reader.read()
        await reader.read()
        expect(await active()).toBe(1)
        client.abort()
        // native-server logs how each generation ended: 'left' when its client (the gateway) went away.
        const ended = () => [...local!.lines, ...remote!.lines].find((line) => line.includes(id) && line.includes('"outcome"'))
        await expect.poll(ended, { timeout: 10_000 }).toBeDefined()
        outcome = (JSON.parse(ended()!) as { outcome: string }).outcome
        if (outcome === 'left') expect(await cancelled()).toBe(before + 1)
      }
      expect(outcome).toBe('left')
      await expect.poll(active, { timeout: 10_000 }).toBe(0)
    })

    it('ends a stream whose upstream dies with an error event, and moves later requests to the other', async () => {
      // Two streams at once: least-outstanding balancing puts one on each upstream.
      const clients = [new AbortController(), new AbortController()]
      const open = await Promise.all(clients.map((client) => post(long(), { key: keys.narrow, signal: client.signal })))
      const streams = open.map((response) => decodeChatStream(response.body!))
      for (const stream of streams) expect((await stream.next()).value).toMatchObject({ type: 'chunk' })
      expect([await metric(local!.server, 'tandem_active_sequences'), await metric(remote!, 'tandem_active_sequences')]).toEqual([1, 1])

      remote!.kill()
      const ends = streams.map(async (stream, index) => {
        let last: ChatStreamPart | undefined
        for await (const part of stream) last = part
        return { index, last }
      })
      const dead = await Promise.race(ends)
      // Never a silent truncation: the gateway ends the cut stream with the error envelope.
      expect(dead.last).toMatchObject({ type: 'error', error: { code: expect.stringMatching(/^upstream_(unavailable|error)$/) } })
      clients[1 - dead.index]!.abort()
      await ends[1 - dead.index]
      // Both places came back, the cut stream's and the abandoned one's: the key has its two again.
      const after = [new AbortController(), new AbortController()]
      await expect
        .poll(async () => {
          const response = await post(chat({ max_tokens: 1 }), { key: keys.narrow })
          await response.arrayBuffer()
          return response.status
        }, { timeout: 10_000 })
        .toBe(200)
      const both = await Promise.all(after.map((client) => post(long(), { key: keys.narrow, signal: client.signal })))
      expect(both.map((response) => response.status)).toEqual([200, 200])
      for (const client of after) client.abort()

      for (let i = 0; i < 5; i++) {
        const response = await post(chat({ stream: i % 2 === 0 }))
        expect(response.status).toBe(200)
        if (i % 2 === 0) expect((await partsOf(response)).at(-1)).toEqual({ type: 'done' })
        else expect(((await response.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(4)
      }
      await expect.poll(async () => ((await (await fetch(`${gateway!.url}/healthz`)).json()) as { upstreams: { available: number } }).upstreams.available, { timeout: 5_000 }).toBe(1)
    })
  })
}

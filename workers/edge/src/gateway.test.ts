// The app in Node, with no upstream listening (127.0.0.1:9 refuses connections): everything a
// request meets before an upstream. Streams, failover and aborts against real native-servers
// are in test/edge/.
import { describe, expect, it } from 'vitest'
import type { ExecutionContext } from 'hono'
import { createGateway } from './gateway.ts'
import { gatewayForEnv } from './gateway-for-env.ts'
import { createJsonLogger } from '@tandem/protocol'
import { MemoryRateLimiter } from './limits/index.ts'
import { hexDigest, testConfig, testEnv, testKeys, WEB_ORIGIN } from './test-helpers.ts'

const background: Array<Promise<unknown>> = []
const executionContext: ExecutionContext = { waitUntil: (promise) => void background.push(promise), passThroughOnException() {}, props: {} }

async function gateway(overrides: Record<string, unknown> = {}) {
  const lines: string[] = []
  const app = createGateway({
    config: await testConfig({ EDGE_LOG_LEVEL: 'debug', ...overrides }),
    limiter: new MemoryRateLimiter(),
    log: createJsonLogger({ level: 'debug', write: (line) => lines.push(line) }),
  })
  function request(path: string, init: RequestInit & { key?: string; origin?: string; json?: unknown } = {}) {
    const { key, origin, json, ...rest } = init
    const headers = new Headers(rest.headers)
    if (key !== undefined) headers.set('authorization', `Bearer ${key}`)
    if (origin !== undefined) headers.set('origin', origin)
    if (json !== undefined) headers.set('content-type', 'application/json')
    const body = json === undefined ? rest.body : JSON.stringify(json)
    return app.request(path, { ...rest, headers, body }, undefined, executionContext)
  }
  return { app, request, lines }
}

const chat = { model: 'grok-2-tiny', messages: [{ role: 'user', content: 'a secret prompt' }], max_tokens: 4 }

async function envelope(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  return ((await response.json()) as { error: { code: string; message: string; param: string | null; type: string } }).error
}

describe('the gateway before any upstream', () => {
  it('answers /healthz without credentials: up, with no upstream it may use before one is seen ready', async () => {
    const { request } = await gateway()
    const response = await request('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'degraded', upstreams: { available: 0, total: 1 } })
  })

  it('answers /readyz with 503 and Retry-After while no upstream is ready, and sends no chat request', async () => {
    const { request, lines } = await gateway()
    const response = await request('/readyz')
    expect([response.status, response.headers.get('retry-after')]).toEqual([503, '1'])
    expect(await response.json()).toEqual({ status: 'unavailable', upstreams: { ready: 0, total: 1 } })
    const chat503 = await request('/v1/chat/completions', { method: 'POST', key: testKeys.secret, json: chat })
    expect([chat503.status, chat503.headers.get('retry-after')]).toEqual([503, '1'])
    expect(await envelope(chat503)).toMatchObject({ code: 'upstream_unavailable', message: 'no upstream is ready yet' })
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.msg === 'request' && l.path === '/v1/chat/completions')).toMatchObject({ status: 503, attempts: 0 })
  })

  it('refuses missing, wrong and misplaced credentials with the OpenAI envelope', async () => {
    const { request } = await gateway()
    const cases = [
      { key: undefined, origin: undefined, status: 401, code: 'unauthorized', type: 'authentication_error' },
      { key: 'sk_nope', origin: undefined, status: 401, code: 'unauthorized', type: 'authentication_error' },
      { key: testKeys.secret, origin: WEB_ORIGIN, status: 403, code: 'forbidden', type: 'permission_error' },
      { key: testKeys.publishable, origin: 'https://evil.example', status: 403, code: 'origin_not_allowed', type: 'permission_error' },
      { key: testKeys.publishable, origin: undefined, status: 403, code: 'forbidden', type: 'permission_error' },
    ]
    for (const { key, origin, status, code, type } of cases) {
      for (const response of [await request('/v1/models', { key, origin }), await request('/v1/chat/completions', { method: 'POST', key, origin, json: chat })]) {
        expect(response.status).toBe(status)
        expect(await envelope(response)).toMatchObject({ code, type })
      }
    }
  })

  it('lists the models a credential may use', async () => {
    const { request } = await gateway()
    const list = async (key: string, origin?: string) => ((await (await request('/v1/models', { key, origin })).json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)
    expect(await list(testKeys.secret)).toEqual(['grok-2-tiny', 'grok-2'])
    expect(await list(testKeys.restricted)).toEqual(['grok-2-tiny'])
    expect(await list(testKeys.publishable, WEB_ORIGIN)).toEqual(['grok-2-tiny', 'grok-2'])
  })

  it('answers CORS preflight from any origin, without credentials, but lets other origins read only an origin refusal', async () => {
    const { request } = await gateway()
    const preflight = (origin: string) =>
      request('/v1/chat/completions', {
        method: 'OPTIONS',
        origin,
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-stainless-os' },
      })
    const allowed = await preflight(WEB_ORIGIN)
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN)
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-stainless-os')
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS')
    // A preflight carries no credential: granted, so the page can read the refusal its key then gets.
    const elsewhere = await preflight('https://elsewhere.example')
    expect([elsewhere.status, elsewhere.headers.get('access-control-allow-origin')]).toEqual([204, 'https://elsewhere.example'])
    expect(elsewhere.headers.get('vary')).toMatch(/^Origin/)
    const actual = await request('/v1/models', { key: testKeys.publishable, origin: WEB_ORIGIN })
    expect(actual.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN)
    expect(actual.headers.get('access-control-expose-headers')).toContain('x-ratelimit-remaining-requests')

    // Its known publishable key from elsewhere: a 403 the page can read, naming the origin and the setting.
    for (const path of ['/v1/models', '/v1/chat/completions']) {
      const refused = await request(path, { method: path === '/v1/models' ? 'GET' : 'POST', key: testKeys.publishable, origin: 'https://elsewhere.example', json: path === '/v1/models' ? undefined : chat })
      expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([403, 'https://elsewhere.example'])
      expect(refused.headers.get('access-control-expose-headers')).toContain('x-request-id')
      expect(await envelope(refused)).toEqual({
        code: 'origin_not_allowed',
        type: 'permission_error',
        param: null,
        message:
          'the origin https://elsewhere.example is not allowed for the publishable key "web": add it to that key\'s "origins" (EDGE_PUBLISHABLE_KEYS[0].origins; with the dev stack: npm start -- --allow-origin https://elsewhere.example, or TANDEM_ALLOWED_ORIGINS)',
      })
    }
    // A token from an origin the gateway does not allow: the same, naming EDGE_CORS_ORIGINS.
    const minted = await request('/v1/tokens', { method: 'POST', key: testKeys.secret, json: { subject: 'u' } })
    const { token } = (await minted.json()) as { token: string }
    const tokenElsewhere = await request('/v1/chat/completions', { method: 'POST', key: token, origin: 'https://elsewhere.example', json: chat })
    expect([tokenElsewhere.status, tokenElsewhere.headers.get('access-control-allow-origin')]).toEqual([403, 'https://elsewhere.example'])
    expect((await envelope(tokenElsewhere)).message).toMatch(/^the origin https:\/\/elsewhere\.example is not allowed to use tokens here: add it to EDGE_CORS_ORIGINS/)
    // Anything else from elsewhere stays unreadable: an unknown key, a secret key, no key.
    for (const key of ['pk_unknown', testKeys.secret, undefined]) {
      const hidden = await request('/v1/chat/completions', { method: 'POST', key, origin: 'https://elsewhere.example', json: chat })
      expect([hidden.status === 401 || hidden.status === 403, hidden.headers.get('access-control-allow-origin')]).toEqual([true, null])
    }
  })

  it('validates the body with @tandem/protocol and names the field at fault', async () => {
    const { request } = await gateway()
    const post = (body: BodyInit, key: string = testKeys.secret) => request('/v1/chat/completions', { method: 'POST', key, body, headers: { 'content-type': 'application/json' } })
    expect(await envelope(await post('{"model": '))).toMatchObject({ code: 'invalid_request', message: 'request body: not valid JSON' })
    expect(await envelope(await post(JSON.stringify({ model: 'grok-2-tiny', messages: [] })))).toMatchObject({ code: 'invalid_request', param: 'messages' })
    expect(await envelope(await post(JSON.stringify({ ...chat, temperature: 9 })))).toMatchObject({ code: 'invalid_request', param: 'temperature' })
    const unknown = await post(JSON.stringify({ ...chat, model: 'gpt-9' }))
    expect(unknown.status).toBe(404)
    expect(await envelope(unknown)).toEqual({
      code: 'model_not_found',
      type: 'invalid_request_error',
      param: 'model',
      message: 'The model `gpt-9` does not exist or you do not have access to it.',
    })
    const forbidden = await post(JSON.stringify({ ...chat, model: 'grok-2' }), testKeys.restricted)
    expect(forbidden.status).toBe(403)
    expect(await envelope(forbidden)).toMatchObject({ code: 'forbidden', param: 'model' })
  })

  it('refuses bodies over the limit with 413, announced or not', async () => {
    const { request } = await gateway({ EDGE_MAX_BODY_BYTES: 2048 })
    const big = JSON.stringify({ ...chat, messages: [{ role: 'user', content: 'x'.repeat(4000) }] })
    const announced = await request('/v1/chat/completions', { method: 'POST', key: testKeys.secret, body: big, headers: { 'content-length': String(big.length) } })
    expect(announced.status).toBe(413)
    expect(await envelope(announced)).toMatchObject({ code: 'payload_too_large' })
    const bytes = new TextEncoder().encode(big)
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000))
        controller.close()
      },
    })
    const chunked = await request('/v1/chat/completions', { method: 'POST', key: testKeys.secret, body: streamed, duplex: 'half' } as RequestInit)
    expect(chunked.status).toBe(413)
  })

  it('limits requests per key with 429, Retry-After and x-ratelimit-* headers', async () => {
    const { request } = await gateway()
    const post = () => request('/v1/chat/completions', { method: 'POST', key: testKeys.restricted, json: chat })
    const first = await post()
    // Admitted, then no upstream could be reached.
    expect(first.status).toBe(503)
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2')
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1')
    expect((await post()).status).toBe(503)
    const refused = await post()
    expect(refused.status).toBe(429)
    expect(await envelope(refused)).toMatchObject({ code: 'rate_limited', type: 'rate_limit_error' })
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59)
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    // Another key has its own window.
    expect((await request('/v1/chat/completions', { method: 'POST', key: testKeys.secret, json: chat })).status).toBe(503)
  })

  it('limits tokens per minute, and refuses a request bigger than a minute’s allowance for good', async () => {
    const { request } = await gateway()
    const post = (maxTokens: number) => request('/v1/chat/completions', { method: 'POST', key: testKeys.restricted, json: { ...chat, max_tokens: maxTokens } })
    const huge = await post(5000)
    expect(huge.status).toBe(429)
    expect(huge.headers.get('retry-after')).toBeNull()
    expect((await envelope(huge)).message).toMatch(/more than the 1000 per minute/)
    expect((await post(900)).status).toBe(503)
    await Promise.all(background)
    // The failed request's reservation was refunded: the next one fits again.
    expect((await post(900)).status).toBe(503)
  })

  it('counts every token request against its minting key’s limits as well as its subject’s share, across many subjects', async () => {
    const minter = 'sk_test_minter'
    const keys = JSON.stringify([{ id: 'minter', sha256: await hexDigest(minter), limits: { rpm: 60, tpm: 10_000 }, token_limits: { rpm: 4, tpm: 400 } }])
    const { request } = await gateway({ EDGE_SECRET_KEYS: keys })
    const subjects = Array.from({ length: 40 }, (_, i) => `user-${i}`)
    const tokens: string[] = []
    for (const subject of subjects) tokens.push(((await (await request('/v1/tokens', { method: 'POST', key: minter, json: { subject } })).json()) as { token: string }).token)
    // 40 mints took 40 of the key's 60 requests a minute; 40 subjects × their share of 4 would be 160 more.
    const responses = await Promise.all(tokens.flatMap((token) => Array.from({ length: 4 }, () => request('/v1/chat/completions', { method: 'POST', key: token, json: { ...chat, max_tokens: 1 } }))))
    const admitted = responses.filter((response) => response.status !== 429)
    const refused = responses.filter((response) => response.status === 429)
    const perSubject = tokens.map((_, i) => responses.slice(i * 4, i * 4 + 4).filter((response) => response.status !== 429).length)
    console.log(`key rpm 60, subject share rpm 4: 40 mints, then ${responses.length} requests from ${subjects.length} subjects: ${admitted.length} admitted (most by one subject: ${Math.max(...perSubject)}), ${refused.length} refused`)
    expect(admitted.length).toBe(20)
    expect(Math.max(...perSubject)).toBeLessThanOrEqual(4)
    const refusal = await envelope(refused[0]!)
    expect(refusal).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/60 requests per minute for all the tokens of this key/) })
    expect(refused[0]!.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    // The key itself is spent too; a subject is held to its share even with the key's room to spare.
    expect((await request('/v1/chat/completions', { method: 'POST', key: minter, json: chat })).status).toBe(429)
    await Promise.all(background)
  })

  it('holds each subject of a key to its share, and refuses for the key only what the subject had room for', async () => {
    const minter = 'sk_test_minter'
    const keys = JSON.stringify([{ id: 'minter', sha256: await hexDigest(minter), limits: { rpm: 100, tpm: 1_000_000 }, token_limits: { rpm: 3, tpm: 1_000_000 } }])
    const { request } = await gateway({ EDGE_SECRET_KEYS: keys })
    const { token } = (await (await request('/v1/tokens', { method: 'POST', key: minter, json: { subject: 'one' } })).json()) as { token: string }
    const responses = await Promise.all(Array.from({ length: 5 }, () => request('/v1/chat/completions', { method: 'POST', key: token, json: chat })))
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 429)).toHaveLength(2)
    // The subject's refusals took nothing from the key: 1 mint + 3 admitted of its 100.
    const direct = await request('/v1/chat/completions', { method: 'POST', key: minter, json: chat })
    expect(direct.headers.get('x-ratelimit-remaining-requests')).toBe('95')
  })

  it('mints tokens for secret keys only, and the token works for its subject', async () => {
    const { request } = await gateway()
    const mint = (key: string, json: unknown, origin?: string) => request('/v1/tokens', { method: 'POST', key, origin, json })
    const minted = await mint(testKeys.secret, { subject: 'user-7', models: ['grok-2-tiny'], expires_in: 60 })
    expect(minted.status).toBe(200)
    expect(minted.headers.get('cache-control')).toBe('no-store')
    const { token, subject, models } = (await minted.json()) as { token: string; subject: string; models: string[] }
    expect({ subject, models }).toEqual({ subject: 'user-7', models: ['grok-2-tiny'] })
    const listed = (await (await request('/v1/models', { key: token, origin: WEB_ORIGIN })).json()) as { data: Array<{ id: string }> }
    expect(listed.data.map((m) => m.id)).toEqual(['grok-2-tiny'])
    expect((await request('/v1/chat/completions', { method: 'POST', key: token, json: { ...chat, model: 'grok-2' } })).status).toBe(403)
    expect((await mint(testKeys.publishable, { subject: 'x' }, WEB_ORIGIN)).status).toBe(403)
    expect((await mint(token, { subject: 'x' })).status).toBe(403)
    expect(await envelope(await mint(testKeys.secret, { subject: 'x', expires_in: 7200 }))).toMatchObject({ code: 'invalid_request', param: 'expires_in' })
  })

  it('passes a request id through, or makes one, on every response', async () => {
    const { request, lines } = await gateway()
    const passed = await request('/v1/models', { key: testKeys.secret, headers: { 'x-request-id': 'abc-123' } })
    expect(passed.headers.get('x-request-id')).toBe('abc-123')
    const refused = await request('/v1/models', { headers: { 'x-request-id': 'bad id with spaces' } })
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(lines.map((line) => JSON.parse(line) as { request_id?: string }).map((l) => l.request_id)).toContain('abc-123')
  })

  it('logs JSON lines with ids and codes, never prompt text or keys', async () => {
    const { request, lines } = await gateway()
    await request('/v1/chat/completions', { method: 'POST', key: testKeys.secret, json: chat })
    await request('/v1/chat/completions', { method: 'POST', key: testKeys.secret, body: '{"messages": "a secret prompt' })
    await request('/v1/chat/completions', { method: 'POST', key: 'sk_a_wrong_key', json: chat })
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(parsed.find((l) => l.msg === 'request' && l.status === 503)).toMatchObject({ principal: 'server', model: 'grok-2-tiny', code: 'upstream_unavailable', attempts: 0 })
    for (const line of lines) {
      expect(line).not.toContain('secret prompt')
      expect(line).not.toContain(testKeys.secret)
      expect(line).not.toContain('sk_a_wrong_key')
    }
  })

  it('answers unknown routes with a 404 envelope', async () => {
    const { request } = await gateway()
    const response = await request('/v1/embeddings', { method: 'POST', key: testKeys.secret })
    expect(response.status).toBe(404)
    expect(await envelope(response)).toMatchObject({ code: 'not_found' })
  })

  it('keeps a key pasted into a path out of the 404 and the logs', async () => {
    const { request, lines } = await gateway()
    const pasted = 'sk_live_0123456789abcdefghij'
    for (const path of [`/v1/x/${pasted}`, `/${pasted}`, `/v1/models/${testKeys.secret}`]) {
      const response = await request(path, { key: testKeys.secret })
      expect(response.status).toBe(404)
      expect((await envelope(response)).message).toMatch(/\[redacted\]$/)
    }
    expect((await request(`/v1/x/${pasted}`)).status).toBe(401)
    expect(lines.filter((line) => line.includes('"path"')).length).toBeGreaterThanOrEqual(4)
    for (const line of lines) {
      expect(line).not.toContain(pasted)
      expect(line).not.toContain(testKeys.secret)
    }
  })
})

describe('gatewayForEnv', () => {
  it('fails every request with a message naming the bad setting, and logs it once', async () => {
    const lines: string[] = []
    const gatewayFor = gatewayForEnv({ limiter: () => new MemoryRateLimiter(), log: createJsonLogger({ level: 'info', write: (line) => lines.push(line) }) })
    const env = await testEnv({ EDGE_UPSTREAMS: 'not a url' })
    for (let i = 0; i < 2; i++) {
      const response = await gatewayFor(env).fetch(new Request('http://gateway/healthz'), undefined, executionContext)
      expect(response.status).toBe(500)
      expect(await envelope(response)).toMatchObject({ code: 'internal', message: expect.stringMatching(/^gateway configuration: EDGE_UPSTREAMS\[0\]/) })
    }
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'bad configuration' })
  })

  it('builds the gateway once per environment', async () => {
    const gatewayFor = gatewayForEnv({ limiter: () => new MemoryRateLimiter() })
    const env = await testEnv()
    expect(gatewayFor(env)).toBe(gatewayFor(env))
  })
})

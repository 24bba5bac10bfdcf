// The SDK through the real gateway (workerd, via test/edge/harness.ts) in front of real native-servers
// on the tiny Grok-2: what a caller gets for success, for each error the gateway answers, for token
// refresh, and for the SDK's own retry before the first chunk.
import { sign } from 'hono/jwt'
import { startNativeServer, type NativeServer } from '@tandem/native-server'
import { createTandem, TandemError, type TandemOptions } from '@tandem/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, gatewayEnv, keys, MODEL, startUpstream, startWorkerdGateway, TOKEN_SECRET, type Gateway, type Upstream } from '../edge/harness.ts'
import { observeStream } from './observe.ts'
import { serverText } from './server-text.ts'

const messages = [{ role: 'user' as const, content: 'Say something.' }]
// Greedy, bytes 128–255 and the control tokens pushed down (byte b is token b): ASCII text of exactly max_tokens.
const fixed = { messages, max_tokens: 12, temperature: 0, ignore_eos: true }

/** Every chat response the SDK's fetch got, in order, and every request it sent: watched, not changed. */
function watchedFetch(onResponse?: (response: Response) => void) {
  const responses: Array<{ status: number; retryAfter: string | null; at: number }> = []
  const requests: string[] = []
  const watched: typeof fetch = async (input, init) => {
    const request = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`
    requests.push(request)
    const response = await fetch(input, init)
    // The model list the planner reads (GET /v1/models) is not a chat response.
    if (request === 'POST /v1/chat/completions') {
      responses.push({ status: response.status, retryAfter: response.headers.get('retry-after'), at: performance.now() })
      onResponse?.(response)
    }
    return response
  }
  return { fetch: watched, responses, requests }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => {
      if (!TandemError.isInstance(error)) throw error
      return error
    },
  )

describe('the SDK through the gateway in workerd', () => {
  let upstream: Upstream | undefined
  let gateway: Gateway | undefined
  /** One slot and no queue: a second request at once is refused with 429 + Retry-After, which the gateway turns into 503. */
  let single: NativeServer | undefined
  let singleGateway: Gateway | undefined

  beforeAll(async () => {
    try {
      ;[upstream, single] = await Promise.all([startUpstream(), startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 1024, parallel: 1, queueDepth: 0, logLevel: 'error' })])
      ;[gateway, singleGateway] = await Promise.all([
        startWorkerdGateway(gatewayEnv([upstream.server.url])),
        // Never wait at the gateway for a busy upstream: answer at once with its Retry-After, so the SDK is the one that waits.
        startWorkerdGateway(gatewayEnv([single.url], { EDGE_MAX_RETRY_WAIT_MS: '0' })),
      ])
    } catch (error) {
      await closeAll(gateway, singleGateway, upstream?.server, single)
      throw error
    }
  })
  afterAll(() => closeAll(gateway, singleGateway, upstream?.server, single))

  const client = (options: Partial<TandemOptions> & { remote?: TandemOptions['remote'] } = {}) =>
    createTandem({ model: MODEL, remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.secret }, ...options })

  it("streams the server's own text, and answers whole completions with usage", async () => {
    const seen = await observeStream(client(), fixed)
    expect(seen.error).toBeUndefined()
    expect(seen.route).toBe('remote')
    expect(seen.reasons).toEqual(['no local runtime configured (options.local)', `remote: the gateway serves ${MODEL}`])
    expect(seen.chunks).toBeGreaterThan(2)
    expect(seen.finishReason).toBe('length')

    const expected = await serverText(upstream!.server.url, { model: MODEL, ...fixed })
    expect(expected.length).toBeGreaterThan(0)
    expect(seen.text).toBe(expected)

    const completion = await client().chat.completions.create(fixed)
    expect(completion).toMatchObject({ object: 'chat.completion', model: MODEL, usage: { completion_tokens: 12 }, choices: [{ finish_reason: 'length', message: { content: expected } }] })
  })

  it("turns each refusal into a TandemError with the gateway's code and message, without retrying what cannot pass", async () => {
    const cases: Array<[string, Partial<TandemOptions>, string | undefined, string, number, RegExp]> = [
      ['wrong key', { remote: { baseURL: `${gateway!.url}/v1`, apiKey: 'sk_edge_test_wrong' } }, undefined, 'unauthorized', 401, /^invalid API key$/],
      // Node's fetch sends no Origin, so a publishable key is a known credential from the wrong place.
      ['publishable key from a server', { remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.publishable } }, undefined, 'forbidden', 403, /^publishable keys are for web pages: this request has no Origin; a server must use a secret key$/],
    ]
    for (const [what, options, model, code, status, message] of cases) {
      const watched = watchedFetch()
      const tandem = client({ ...options, fetch: watched.fetch })
      const params = { ...fixed, ...(model && { model }) }
      // Not streamed: `create` rejects. Streamed: `create` resolves before the request is sent, and the loop throws.
      const whole = await failure(tandem.chat.completions.create(params))
      const streamed = (await observeStream(tandem, params)).error
      for (const error of [whole, streamed]) {
        expect([what, error?.code, error?.status], what).toEqual([what, code, status])
        expect(error?.message, what).toMatch(message)
      }
      expect(watched.responses.map((r) => r.status), what).toEqual([status, status])
    }
  })

  it('refuses a model the gateway does not list before sending it, naming the model and what the gateway serves', async () => {
    for (const route of ['remote-only', 'prefer-local'] as const) {
      const watched = watchedFetch()
      const tandem = client({ route, fetch: watched.fetch })
      const error = await failure(tandem.chat.completions.create({ ...fixed, model: 'grok-2' }))
      expect([route, error?.code, error?.status, error?.param]).toEqual([route, 'not_found', 404, 'model'])
      expect(error?.message).toMatch(/^no route can serve grok-2: .*the gateway does not serve grok-2 \(it serves grok-2-tiny\)$/)
      const plan = await createTandem({ model: 'grok-2', route, remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.secret } }).plan()
      expect([plan.route, plan.refusal]).toEqual(['none', 'not_found'])
      expect(plan.reasons.join(' ')).not.toMatch(/the gateway serves grok-2\b/)
      expect(watched.requests.filter((r) => r.startsWith('POST'))).toEqual([])
    }
    // The list is read once for every client of this gateway and key (one no other test here uses), concurrent ones included.
    const watched = watchedFetch()
    const fresh = { ...fixed, max_tokens: 1 }
    await Promise.all([0, 1, 2].map(() => client({ remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.metered }, fetch: watched.fetch }).chat.completions.create(fresh)))
    expect(watched.requests.filter((r) => r === 'GET /v1/models')).toHaveLength(1)
    expect(watched.requests.filter((r) => r === 'POST /v1/chat/completions')).toHaveLength(3)
  })

  it('plans around a model list it cannot read, and says so', async () => {
    const seen = await observeStream(client({ remote: { baseURL: `${gateway!.url}/v1`, apiKey: 'sk_edge_test_wrong' } }), fixed)
    expect(seen.error?.code).toBe('unauthorized')
    const plan = await client({ remote: { baseURL: `${gateway!.url}/v1`, apiKey: 'sk_edge_test_wrong' } }).plan()
    expect(plan.route).toBe('remote')
    expect(plan.reasons).toContain(`remote: the gateway's model list could not be read (invalid API key); trying ${MODEL} there`)
  })

  it("rate_limited: a Retry-After beyond the SDK's limit fails at once, and so does a refusal for good", async () => {
    // `limited` allows 5 requests a minute; the sixth is told to come back when the oldest leaves the window (~60 s).
    const limited = watchedFetch()
    const tandem = client({ remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.limited }, fetch: limited.fetch })
    for (let i = 0; i < 5; i++) await tandem.chat.completions.create({ ...fixed, max_tokens: 1 })
    const error = await failure(tandem.chat.completions.create({ ...fixed, max_tokens: 1 }))
    expect([error?.code, error?.status]).toEqual(['rate_limited', 429])
    expect(error?.message).toMatch(/^rate limit reached: 5 requests per minute; try again in \d+ s$/)
    const refused = limited.responses.slice(5)
    expect(refused.map((r) => r.status)).toEqual([429])
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(10)

    // `frugal` allows 300 tokens a minute: 400 can never pass (429 without Retry-After), so the SDK does not try again.
    const frugal = watchedFetch()
    const again = await failure(client({ remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.frugal }, fetch: frugal.fetch }).chat.completions.create({ ...fixed, max_tokens: 400 }))
    expect([again?.code, again?.status]).toEqual(['rate_limited', 429])
    expect(again?.message).toMatch(/more than the 300 per minute allowed/)
    expect(frugal.responses.map((r) => [r.status, r.retryAfter])).toEqual([[429, null]])
  })

  it('calls getToken again once after a 401, and the retried request succeeds with the fresh token', async () => {
    const now = Math.floor(Date.now() / 1000)
    const expired = await sign({ sub: 'user-7', key: 'server', iat: now - 120, exp: now - 60 }, TOKEN_SECRET, 'HS256')
    const mint = async () => {
      const response = await fetch(`${gateway!.url}/v1/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.secret}` },
        body: JSON.stringify({ subject: 'user-7', expires_in: 300 }),
      })
      expect(response.status).toBe(200)
      return ((await response.json()) as { token: string }).token
    }
    const calls: boolean[] = []
    const watched = watchedFetch()
    const tandem = client({
      remote: { baseURL: `${gateway!.url}/v1`, getToken: async ({ refresh }) => (calls.push(refresh), refresh ? mint() : expired) },
      fetch: watched.fetch,
    })
    const seen = await observeStream(tandem, fixed)
    expect(seen.error).toBeUndefined()
    expect([seen.finishReason, seen.text.length > 0]).toEqual(['length', true])
    expect(calls).toEqual([false, true])
    expect(watched.responses.map((r) => r.status)).toEqual([401, 200])
    // The fresh token is kept for later requests.
    await tandem.chat.completions.create({ ...fixed, max_tokens: 1 })
    expect(calls).toEqual([false, true])

    // Refreshed once only: a token source that keeps failing ends in `unauthorized` after two tries.
    const stale: boolean[] = []
    const error = await failure(
      client({ remote: { baseURL: `${gateway!.url}/v1`, getToken: ({ refresh }) => (stale.push(refresh), expired) } }).chat.completions.create(fixed),
    )
    expect([error?.code, error?.status, stale]).toEqual(['unauthorized', 401, [false, true]])
  })

  it("retries before the first chunk on the gateway's 503, after its Retry-After, and then streams", async () => {
    // A long stream holds the one slot of the upstream behind `singleGateway`.
    const blocker = new AbortController()
    const held = await fetch(`${single!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages, max_tokens: 4000, temperature: 0, ignore_eos: true, stream: true }),
      signal: blocker.signal,
    })
    const reader = held.body!.getReader()
    await reader.read()
    // The SDK's first answer is the gateway's 503: free the slot then, so that its retry finds it free.
    const watched = watchedFetch((response) => {
      if (response.status === 503) blocker.abort()
    })
    try {
      const seen = await observeStream(createTandem({ model: MODEL, remote: { baseURL: `${singleGateway!.url}/v1`, apiKey: keys.secret }, fetch: watched.fetch }), fixed)
      expect(seen.error).toBeUndefined()
      expect([seen.finishReason, seen.chunks > 2]).toEqual(['length', true])
      const statuses = watched.responses.map((r) => r.status)
      expect(statuses[0]).toBe(503)
      expect(statuses.at(-1)).toBe(200)
      expect(watched.responses[0]!.retryAfter).toBe('1')
      // Honoured: the retry came no sooner than the Retry-After (a lower bound, not a speed).
      expect(watched.responses[1]!.at - watched.responses[0]!.at).toBeGreaterThanOrEqual(950)
    } finally {
      blocker.abort()
      await reader.cancel().catch(() => {})
    }
  })
})

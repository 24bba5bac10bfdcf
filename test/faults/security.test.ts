// Security: bad credentials of every kind, sent to the gateway in workerd, get 401 or 403 with the
// OpenAI error envelope, and no native-server sees them (counted at the native-servers). Tokens die
// at their expiry; CORS lets a page elsewhere read only the refusal of its origin.
import { Buffer } from 'node:buffer'
import { sign } from 'hono/jwt'
import { errorEnvelopeSchema } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, MODEL, TOKEN_SECRET, UPSTREAM_KEY, WEB_ORIGIN } from '../edge/harness.ts'
import { post, requestCounts, startStack, type PostOptions, type Stack } from './stack.ts'

/** Served by the gateway too, so a token can be limited to it. */
const OTHER_MODEL = 'grok-2-other'
const ELSEWHERE = 'https://elsewhere.example'
const chat = { model: MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 2, temperature: 0, stream: true }

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

let stack: Stack | undefined
beforeAll(async () => {
  stack = await startStack({ env: { EDGE_MODELS: `${MODEL},${OTHER_MODEL}` } })
})
afterAll(() => stack?.close())

async function mint(body: Record<string, unknown>): Promise<{ token: string; expires_at: number }> {
  const response = await post(stack!.gateway, body, { path: '/v1/tokens' })
  expect(response.status).toBe(200)
  return (await response.json()) as { token: string; expires_at: number }
}

interface Refusal {
  readonly status: number
  readonly type: string | null | undefined
  readonly problem: string | undefined
}

/** Sends the chat request and reads the refusal; `problem` says what is wrong with it beyond its status. */
async function refusal(options: PostOptions, secret: string | undefined): Promise<Refusal> {
  const response = await post(stack!.gateway, chat, options)
  const text = await response.text()
  let envelope: ReturnType<typeof errorEnvelopeSchema.safeParse> | undefined
  try {
    envelope = errorEnvelopeSchema.safeParse(JSON.parse(text))
  } catch {
    return { status: response.status, type: undefined, problem: `not JSON: ${text.slice(0, 80)}` }
  }
  if (!envelope.success) return { status: response.status, type: undefined, problem: `not the envelope: ${text.slice(0, 80)}` }
  const { type, message } = envelope.data.error
  if (message.length === 0) return { status: response.status, type, problem: 'an empty message' }
  // A refusal must not echo the credential back (into logs, into a page).
  if (secret !== undefined && secret.length > 8 && text.includes(secret)) return { status: response.status, type, problem: 'the credential echoed back' }
  return { status: response.status, type, problem: undefined }
}

describe('the gateway in workerd, in front of two native-servers', () => {
  it('refuses a token once it has expired, though it worked and was remembered before', async () => {
    const { token, expires_at } = await mint({ subject: 'short-lived', expires_in: 2 })
    const valid = await post(stack!.gateway, { ...chat, stream: false }, { key: token })
    expect(valid.status).toBe(200)
    await valid.arrayBuffer()
    await new Promise((resolve) => setTimeout(resolve, expires_at * 1000 - Date.now() + 100))
    const before = await requestCounts(stack!.upstreams)
    const expired = await refusal({ key: token }, token)
    expect(expired).toEqual({ status: 401, type: 'authentication_error', problem: undefined })
    expect(await requestCounts(stack!.upstreams)).toEqual(before)
  })

  it('refuses every bad credential with 401/403 and the envelope, and no native-server sees one', async () => {
    const now = Math.floor(Date.now() / 1000)
    const claims = { sub: 'user-1', key: 'server', iat: now, exp: now + 300 }
    const minted = await mint({ subject: 'user-1', expires_in: 300 })
    const [header, , signature] = minted.token.split('.')
    const forOtherModel = await mint({ subject: 'user-2', models: [OTHER_MODEL] })
    const cases: Array<[label: string, options: PostOptions, status: 401 | 403]> = [
      ['no credential', { key: null }, 401],
      ['"Bearer" alone', { authorization: 'Bearer' }, 401],
      ['"Bearer " and nothing', { authorization: 'Bearer ' }, 401],
      ['Basic auth', { authorization: `Basic ${Buffer.from(`user:${keys.secret}`).toString('base64')}` }, 401],
      ['another scheme', { authorization: `Token ${keys.secret}` }, 401],
      ['two credentials', { authorization: `Bearer ${keys.secret} ${keys.secret}` }, 401],
      ['4 KiB of junk', { key: 'x'.repeat(4096) }, 401],
      ['JWT-shaped junk', { key: 'a.b.c' }, 401],
      ['a wrong sk_', { key: 'sk_edge_test_wrong' }, 401],
      ['the sk_ with one more character', { key: `${keys.secret}x` }, 401],
      ['the sk_ in capitals', { key: keys.secret.toUpperCase() }, 401],
      ['the sk_ from a web page', { key: keys.secret, origin: WEB_ORIGIN }, 403],
      ['an unknown pk_', { key: 'pk_edge_test_wrong', origin: WEB_ORIGIN }, 401],
      ['the pk_ with no origin', { key: keys.publishable }, 403],
      ['the pk_ from another origin', { key: keys.publishable, origin: ELSEWHERE }, 403],
      ['the pk_ from its origin over http', { key: keys.publishable, origin: WEB_ORIGIN.replace('https:', 'http:') }, 403],
      ['the pk_ from a suffixed origin', { key: keys.publishable, origin: `${WEB_ORIGIN}.evil.example` }, 403],
      ['the pk_ from origin "null"', { key: keys.publishable, origin: 'null' }, 403],
      ['an expired JWT', { key: await sign({ ...claims, iat: now - 120, exp: now - 60 }, TOKEN_SECRET, 'HS256') }, 401],
      ['a JWT with a wrong signature', { key: await sign(claims, 'not-the-gateway-secret-but-32-characters-long', 'HS256') }, 401],
      ['a minted JWT with its subject changed', { key: `${header}.${base64url({ ...claims, sub: 'someone-else' })}.${signature}` }, 401],
      ['a minted JWT with = padding after its signature', { key: `${minted.token}=` }, 401],
      ['a minted JWT with its header padded', { key: minted.token.replace('.', '==.') }, 401],
      ['a JWT signed with alg none', { key: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.` }, 401],
      ['a JWT with alg none and a real signature', { key: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.${signature}` }, 401],
      ['a JWT signed HS512 with the right secret', { key: await sign(claims, TOKEN_SECRET, 'HS512') }, 401],
      ['a JWT of a key that does not exist', { key: await sign({ ...claims, key: 'deleted' }, TOKEN_SECRET, 'HS256') }, 401],
      ['a JWT that lives two hours', { key: await sign({ ...claims, exp: now + 7200 }, TOKEN_SECRET, 'HS256') }, 401],
      ['a JWT for another model', { key: forOtherModel.token }, 403],
    ]

    const before = await requestCounts(stack!.upstreams)
    const results = []
    for (const [label, options, status] of cases) {
      const got = await refusal(options, options.key ?? undefined)
      results.push({ label, expected: status, status: got.status, type: got.type, problem: got.problem })
    }
    const after = await requestCounts(stack!.upstreams)
    const byStatus = results.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {})
    console.log(`security: ${results.length} bad credentials: ${Object.entries(byStatus).map(([status, n]) => `${n} × ${status}`).join(', ')}; native-server requests before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`)
    console.table(results)

    const wrong = results.filter(({ expected, status, type, problem }) => status !== expected || type !== (expected === 401 ? 'authentication_error' : 'permission_error') || problem !== undefined)
    expect(wrong).toEqual([])
    expect(after).toEqual(before)
    // The same token works for the model it was minted for (its native-server answers 404: it serves only the tiny one).
    expect((await post(stack!.gateway, { ...chat, model: OTHER_MODEL }, { key: forOtherModel.token })).status).not.toBe(403)
  })

  it('native-server asks for its key on every route but /healthz and /readyz: reaching its port is not enough', async () => {
    const { upstreams } = stack!
    const body = JSON.stringify({ ...chat, stream: false })
    const attempts: Array<[label: string, authorization: string | undefined]> = [
      ['no key', undefined],
      ['the gateway’s client key', `Bearer ${keys.secret}`],
      ['the key with one more character', `Bearer ${UPSTREAM_KEY}x`],
      ['the key cut short', `Bearer ${UPSTREAM_KEY.slice(0, -1)}`],
      ['the key as Basic auth', `Basic ${Buffer.from(`:${UPSTREAM_KEY}`).toString('base64')}`],
      ['the key without a scheme', UPSTREAM_KEY],
    ]
    const before = await requestCounts(upstreams)
    const problems: string[] = []
    for (const upstream of upstreams) {
      for (const [label, authorization] of attempts) {
        for (const [method, path] of [['POST', '/v1/chat/completions'], ['GET', '/v1/models'], ['GET', '/metrics'], ['GET', '/v1/nothing']] as const) {
          const headers = { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) }
          const response = await fetch(`${upstream.url}${path}`, { method, headers, ...(method === 'POST' && { body }) })
          const text = await response.text()
          const envelope = errorEnvelopeSchema.safeParse(JSON.parse(text))
          if (response.status !== 401 || !envelope.success || envelope.data.error.type !== 'authentication_error') problems.push(`${label}, ${method} ${path}: ${response.status} ${text.slice(0, 80)}`)
          if (text.includes(UPSTREAM_KEY.slice(0, 12))) problems.push(`${label}, ${method} ${path}: the key echoed back`)
        }
      }
      for (const path of ['/healthz', '/readyz']) if ((await fetch(`${upstream.url}${path}`)).status !== 200) problems.push(`${path} asked for a key`)
    }
    expect(problems).toEqual([])
    expect(await requestCounts(upstreams)).toEqual(before)
    // With the key, as the gateway sends it (every other test here goes through it):
    const keyed = await fetch(`${upstreams[0]!.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${UPSTREAM_KEY}` }, body })
    expect(keyed.status).toBe(200)
    await keyed.arrayBuffer()
    console.log(`security: ${attempts.length} bad native-server keys × 4 routes × ${upstreams.length} servers: all 401, no generation`)
  })

  it('answers CORS so that only the configured origin reads answers, a page elsewhere only its origin refusal, and no native-server sees either', async () => {
    const { gateway, upstreams } = stack!
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      })
    const before = await requestCounts(upstreams)
    const allowed = await preflight(WEB_ORIGIN)
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN)
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/)
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i)
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/content-type/i)
    // A preflight carries no credential to judge: every origin's is granted, so a page can read the
    // refusal its key then gets. What it may read of the answers is decided request by request, below.
    const others = [ELSEWHERE, WEB_ORIGIN.replace('https:', 'http:'), `${WEB_ORIGIN}.evil.example`, 'null']
    const granted = await Promise.all(others.map(preflight))
    console.log(`security: preflight from ${WEB_ORIGIN}: ${allowed.status}; from ${others.length} other origins: ${granted.map((r) => `${r.status} ${r.headers.get('access-control-allow-origin')}`).join(', ')}`)
    expect(granted.map((response) => response.headers.get('access-control-allow-origin'))).toEqual(others)
    expect(await requestCounts(upstreams)).toEqual(before)

    // From those origins, whatever the credential, nothing reaches a native-server; only a known
    // publishable key or a token is told (readably) why, and never is anything else readable there.
    const { token: pageToken } = await mint({ subject: 'page-user' })
    for (const origin of others) {
      for (const [key, status, readable] of [[keys.publishable, 403, true], [pageToken, 403, true], ['pk_edge_test_wrong', 401, false], [keys.secret, 403, false], [null, 401, false]] as const) {
        const response = await post(gateway, chat, { key, origin })
        const body = errorEnvelopeSchema.parse(await response.json())
        expect([response.status, response.headers.get('access-control-allow-origin')]).toEqual([status, readable ? origin : null])
        if (readable) expect(body.error).toMatchObject({ code: 'origin_not_allowed', message: expect.stringContaining(`origin ${origin} is not allowed`) })
      }
    }
    expect(await requestCounts(upstreams)).toEqual(before)

    // Actual requests: only the configured origin may read the answer, errors included.
    const fromPage = await post(gateway, chat, { key: keys.publishable, origin: WEB_ORIGIN })
    expect([fromPage.status, fromPage.headers.get('access-control-allow-origin')]).toEqual([200, WEB_ORIGIN])
    expect(fromPage.headers.get('access-control-expose-headers')).toMatch(/x-request-id/)
    await fromPage.arrayBuffer()
    const refusedOnPage = await post(gateway, chat, { key: 'pk_edge_test_wrong', origin: WEB_ORIGIN })
    expect([refusedOnPage.status, refusedOnPage.headers.get('access-control-allow-origin')]).toEqual([401, WEB_ORIGIN])
    await refusedOnPage.arrayBuffer()
    // A token works from a server (no Origin) and from the allowed origin's pages.
    const { token } = await mint({ subject: 'user-3' })
    const tokenOnPage = await post(gateway, chat, { key: token, origin: WEB_ORIGIN })
    expect([tokenOnPage.status, tokenOnPage.headers.get('access-control-allow-origin')]).toEqual([200, WEB_ORIGIN])
    await tokenOnPage.arrayBuffer()
    const tokenFromServer = await post(gateway, chat, { key: token })
    expect([tokenFromServer.status, tokenFromServer.headers.get('access-control-allow-origin')]).toEqual([200, null])
    await tokenFromServer.arrayBuffer()
    const fromServer = await post(gateway, chat)
    expect([fromServer.status, fromServer.headers.get('access-control-allow-origin')]).toEqual([200, null])
    await fromServer.arrayBuffer()
  })
})

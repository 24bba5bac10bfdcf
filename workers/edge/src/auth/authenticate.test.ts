import { sign } from 'hono/jwt'
import { describe, expect, it } from 'vitest'
import { TandemError } from '@tandem/protocol'
import { TOKEN_SECRET, WEB_ORIGIN, testConfig, testKeys } from '../test-helpers.ts'
import { authenticate } from './authenticate.ts'
import { mintToken } from './tokens.ts'

const config = await testConfig()
const server = config.secretKeys.find((key) => key.id === 'server')!
const restricted = config.secretKeys.find((key) => key.id === 'restricted')!

async function refusal(authorization: string | undefined, origin?: string, cfg = config): Promise<TandemError> {
  try {
    await authenticate({ authorization, origin }, cfg)
  } catch (error) {
    if (TandemError.isInstance(error)) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('authenticate', () => {
  it('accepts a secret key from a server, with its limits and models', async () => {
    const principal = await authenticate({ authorization: `Bearer ${testKeys.restricted}`, origin: undefined }, config)
    expect(principal).toMatchObject({ kind: 'secret', id: 'restricted', limitKey: 'key:restricted', limits: { rpm: 2, tpm: 1000 }, models: ['grok-2-tiny'] })
    expect(principal.secretKey?.id).toBe('restricted')
  })

  it('refuses missing, malformed and unknown credentials with 401', async () => {
    for (const authorization of [undefined, '', 'Basic abc', 'Bearer', 'Bearer sk_wrong', 'Bearer pk_wrong', 'Bearer nonsense', 'Bearer a.b.c']) {
      const error = await refusal(authorization)
      expect([error.code, error.status]).toEqual(['unauthorized', 401])
    }
    expect((await refusal(undefined)).message).toMatch(/^missing credential/)
    expect((await refusal('Bearer sk_wrong')).message).toBe('invalid API key')
  })

  it('refuses a secret key sent from a browser with 403', async () => {
    const error = await refusal(`Bearer ${testKeys.secret}`, WEB_ORIGIN)
    expect([error.code, error.status]).toEqual(['forbidden', 403])
  })

  it('accepts a publishable key only from its origins', async () => {
    const principal = await authenticate({ authorization: `Bearer ${testKeys.publishable}`, origin: WEB_ORIGIN }, config)
    expect(principal).toMatchObject({ kind: 'publishable', id: 'web', limitKey: 'key:web', models: undefined })
    expect(await refusal(`Bearer ${testKeys.publishable}`, 'https://evil.example')).toMatchObject({ code: 'origin_not_allowed', status: 403, message: expect.stringContaining('EDGE_PUBLISHABLE_KEYS[0].origins') })
    expect((await refusal(`Bearer ${testKeys.publishable}`)).code).toBe('forbidden')
  })

  it('refuses a token from a page on an origin the gateway does not allow, and takes it from servers and allowed pages', async () => {
    const { token } = await mintToken(server, { subject: 'u' }, config)
    expect(await refusal(`Bearer ${token}`, 'https://evil.example')).toMatchObject({ code: 'origin_not_allowed', message: expect.stringContaining('EDGE_CORS_ORIGINS') })
    expect((await authenticate({ authorization: `Bearer ${token}`, origin: undefined }, config)).kind).toBe('token')
    expect((await authenticate({ authorization: `Bearer ${token}`, origin: WEB_ORIGIN }, config)).kind).toBe('token')
  })

  it('accepts a token minted by a secret key, limited per subject', async () => {
    const { token } = await mintToken(server, { subject: 'user-1', models: ['grok-2'] }, config)
    const principal = await authenticate({ authorization: `Bearer ${token}`, origin: WEB_ORIGIN }, config)
    expect(principal).toMatchObject({ kind: 'token', id: 'server/user-1', limitKey: 'token:server:user-1', limits: { rpm: 5 }, models: ['grok-2'] })
  })

  it('narrows a token to its key’s models', async () => {
    const { token } = await mintToken(restricted, { subject: 'u' }, config)
    expect((await authenticate({ authorization: `Bearer ${token}`, origin: undefined }, config)).models).toEqual(['grok-2-tiny'])
  })

  it('refuses expired, forged, overlong and revoked tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000)
    const expired = await sign({ sub: 'u', key: 'server', iat: now - 100, exp: now - 10 }, TOKEN_SECRET, 'HS256')
    expect((await refusal(`Bearer ${expired}`)).message).toBe('the token has expired')
    const forged = await sign({ sub: 'u', key: 'server', iat: now, exp: now + 60 }, 'another-secret-of-at-least-32-characters', 'HS256')
    expect((await refusal(`Bearer ${forged}`)).message).toBe('invalid token')
    const overlong = await sign({ sub: 'u', key: 'server', iat: now, exp: now + 7200 }, TOKEN_SECRET, 'HS256')
    expect((await refusal(`Bearer ${overlong}`)).message).toMatch(/longer than an hour/)
    const noExpiry = await sign({ sub: 'u', key: 'server', iat: now }, TOKEN_SECRET, 'HS256')
    expect((await refusal(`Bearer ${noExpiry}`)).message).toBe('invalid token')
    const revoked = await sign({ sub: 'u', key: 'gone', iat: now, exp: now + 60 }, TOKEN_SECRET, 'HS256')
    expect((await refusal(`Bearer ${revoked}`)).message).toMatch(/revoked/)
    const { token: minted } = await mintToken(server, { subject: 'u' }, config)
    for (const padded of [`${minted}=`, `${minted}==`, minted.replace('.', '=.'), `${minted.slice(0, -1)}+`]) {
      expect((await refusal(`Bearer ${padded}`)).message).toBe('invalid token')
    }
    const none = `${btoa('{"alg":"none","typ":"JWT"}')}.${btoa(JSON.stringify({ sub: 'u', key: 'server', iat: now, exp: now + 60 }))}.`
    expect((await refusal(`Bearer ${none}`)).code).toBe('unauthorized')
    for (const error of [await refusal(`Bearer ${expired}`), await refusal(`Bearer ${forged}`)]) {
      expect(error.status).toBe(401)
      expect(error.message).not.toContain(expired.slice(0, 20))
    }
  })

  it('refuses tokens when the gateway has no token secret', async () => {
    const { token } = await mintToken(server, { subject: 'u' }, config)
    expect((await refusal(`Bearer ${token}`, undefined, { ...config, tokenSecret: undefined })).code).toBe('unauthorized')
  })
})

describe('mintToken', () => {
  it('mints a token that lives as long as asked, at most an hour', async () => {
    const now = Date.UTC(2026, 0, 1)
    const minted = await mintToken(server, { subject: 'u', expires_in: 60 }, config, now)
    expect(minted).toMatchObject({ object: 'token', subject: 'u', models: null, expires_at: now / 1000 + 60 })
    expect((await mintToken(server, { subject: 'u' }, config, now)).expires_at).toBe(now / 1000 + 900)
  })

  it('refuses models the key may not use or the gateway does not serve', async () => {
    await expect(mintToken(restricted, { subject: 'u', models: ['grok-2'] }, config)).rejects.toMatchObject({ code: 'forbidden', param: 'models[0]' })
    await expect(mintToken(server, { subject: 'u', models: ['grok-2', 'gpt-9'] }, config)).rejects.toMatchObject({ code: 'not_found', param: 'models[1]' })
    await expect(mintToken(server, { subject: 'u' }, { ...config, tokenSecret: undefined })).rejects.toMatchObject({ code: 'not_found' })
  })
})

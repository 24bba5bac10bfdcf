import { describe, expect, it } from 'vitest'
import { testConfig, testKeys, WEB_ORIGIN } from '../test-helpers.ts'
import { authenticate } from './authenticate.ts'
import { CredentialCache } from './credential-cache.ts'
import type { Principal } from './principal.ts'
import { mintToken } from './tokens.ts'

const config = await testConfig()
const principal = (expiresAt?: number): Principal => ({ kind: 'token', id: 'k/u', limitKey: 'token:k:u', limits: { rpm: 1, tpm: 1, concurrent: 1 }, models: undefined, expiresAt })

describe('CredentialCache', () => {
  it('keeps valid credentials, forgets expired tokens, and never grows past its bound', () => {
    const cache = new CredentialCache({ maxEntries: 2 })
    cache.rememberToken('t1', principal(100))
    expect(cache.token('t1', 99_999)?.id).toBe('k/u')
    expect(cache.token('t1', 100_000)).toBeUndefined()
    cache.rememberKey('a', principal())
    cache.rememberKey('b', principal())
    cache.rememberKey('c', principal())
    expect([cache.key('a'), cache.key('b'), cache.key('c')?.id]).toEqual([undefined, undefined, 'k/u'])
  })

  it('serves authenticate’s repeat callers, still checking the origin every time', async () => {
    const cache = new CredentialCache()
    const first = await authenticate({ authorization: `Bearer ${testKeys.secret}`, origin: undefined }, config, cache)
    expect(cache.key(testKeys.secret)).toBe(first)
    expect(await authenticate({ authorization: `Bearer ${testKeys.secret}`, origin: undefined }, config, cache)).toBe(first)
    await expect(authenticate({ authorization: `Bearer ${testKeys.secret}`, origin: WEB_ORIGIN }, config, cache)).rejects.toMatchObject({ code: 'forbidden' })
    await authenticate({ authorization: `Bearer ${testKeys.publishable}`, origin: WEB_ORIGIN }, config, cache)
    await expect(authenticate({ authorization: `Bearer ${testKeys.publishable}`, origin: 'https://evil.example' }, config, cache)).rejects.toMatchObject({ code: 'origin_not_allowed' })
    await expect(authenticate({ authorization: 'Bearer sk_wrong', origin: undefined }, config, cache)).rejects.toMatchObject({ code: 'unauthorized' })
    expect(cache.key('sk_wrong')).toBeUndefined()
    const { token } = await mintToken(config.secretKeys[0]!, { subject: 'u' }, config)
    const viaToken = await authenticate({ authorization: `Bearer ${token}`, origin: WEB_ORIGIN }, config, cache)
    expect(cache.token(token, Date.now())).toBe(viaToken)
  })
})

import { describe, expect, it } from 'vitest'
import { parseGatewayConfig } from './gateway-config.ts'

const hash = 'a'.repeat(64)
const minimal = { EDGE_UPSTREAMS: 'http://127.0.0.1:8080', EDGE_MODELS: 'grok-2-tiny' }

function problem(env: Record<string, unknown>): string {
  const result = parseGatewayConfig(env)
  if (result.ok) throw new Error('expected a problem')
  expect(result.error.code).toBe('internal')
  return result.error.message
}

describe('parseGatewayConfig', () => {
  it('reads plain comma-separated lists and applies the defaults', () => {
    const result = parseGatewayConfig({ ...minimal, EDGE_UPSTREAMS: 'http://127.0.0.1:8080/, http://10.0.0.2:9000' })
    expect(result.ok && result.value).toMatchObject({
      upstreams: [
        { url: 'http://127.0.0.1:8080', weight: 1, name: '127.0.0.1:8080' },
        { url: 'http://10.0.0.2:9000', weight: 1, name: '10.0.0.2:9000' },
      ],
      models: ['grok-2-tiny'],
      secretKeys: [],
      publishableKeys: [],
      tokenSecret: undefined,
      corsOrigins: [],
      limits: { rpm: 60, tpm: 100_000, concurrent: 8 },
      maxBodyBytes: 1024 * 1024,
      logLevel: 'info',
    })
  })

  it('reads JSON strings and already parsed values (TOML tables in wrangler vars) alike', () => {
    const keys = [{ id: 'web', sha256: hash, origins: ['https://a.example'], limits: { rpm: 5 } }]
    const fromJson = parseGatewayConfig({ ...minimal, EDGE_PUBLISHABLE_KEYS: JSON.stringify(keys), EDGE_LIMITS: '{"tpm": 10}', EDGE_MAX_BODY_BYTES: '2048' })
    const fromValues = parseGatewayConfig({ ...minimal, EDGE_PUBLISHABLE_KEYS: keys, EDGE_LIMITS: { tpm: 10 }, EDGE_MAX_BODY_BYTES: 2048 })
    expect(fromJson).toEqual(fromValues)
    expect(fromJson.ok && fromJson.value.publishableKeys[0]).toMatchObject({ id: 'web', limits: { rpm: 5, tpm: 10 }, origins: ['https://a.example'] })
    expect(fromJson.ok && fromJson.value.publishableKeys[0]?.sha256).toEqual(new Uint8Array(32).fill(0xaa))
    expect(fromJson.ok && fromJson.value.corsOrigins).toEqual(['https://a.example'])
    expect(fromJson.ok && fromJson.value.maxBodyBytes).toBe(2048)
  })

  it('treats empty strings as unset', () => {
    const result = parseGatewayConfig({ ...minimal, EDGE_TOKEN_SECRET: '', EDGE_SECRET_KEYS: '', EDGE_LIMITS: '' })
    expect(result.ok).toBe(true)
  })

  it('names the setting and the place at fault, never the value', () => {
    expect(problem({ EDGE_MODELS: 'm' })).toBe('gateway configuration: EDGE_UPSTREAMS: required')
    expect(problem({ ...minimal, EDGE_UPSTREAMS: '' })).toBe('gateway configuration: EDGE_UPSTREAMS: expected at least one upstream')
    expect(problem({ ...minimal, EDGE_UPSTREAMS: '[{"url": "ftp://x"}]' })).toMatch(/^gateway configuration: EDGE_UPSTREAMS\[0\]/)
    expect(problem({ ...minimal, EDGE_SECRET_KEYS: '[{"id": "a", "sha256": "xyz"}' })).toBe('gateway configuration: EDGE_SECRET_KEYS: not valid JSON')
    expect(problem({ ...minimal, EDGE_SECRET_KEYS: `[{"id": "a", "sha256": "${hash.slice(1)}"}]` })).toBe(
      'gateway configuration: EDGE_SECRET_KEYS[0].sha256: expected the SHA-256 of the key as 64 hex digits',
    )
    const secret = 'too-short-secret'
    const message = problem({ ...minimal, EDGE_TOKEN_SECRET: secret })
    expect(message).toBe('gateway configuration: EDGE_TOKEN_SECRET: expected at least 32 characters')
    expect(message).not.toContain(secret)
    expect(problem({ ...minimal, EDGE_CORS_ORIGINS: 'https://a.example/path' })).toMatch(/^gateway configuration: EDGE_CORS_ORIGINS\[0\]: expected an origin/)
    expect(problem({ ...minimal, EDGE_MAX_BODY_BYTES: 'lots' })).toMatch(/^gateway configuration: EDGE_MAX_BODY_BYTES: expected a number/)
    expect(problem({ ...minimal, EDGE_LOG_LEVEL: 'chatty' })).toMatch(/^gateway configuration: EDGE_LOG_LEVEL: expected "debug"/)
  })

  it('checks settings against each other', () => {
    expect(problem({ ...minimal, EDGE_UPSTREAMS: 'http://a:1, http://a:1/' })).toBe('gateway configuration: EDGE_UPSTREAMS[1]: listed twice')
    const keys = [{ id: 'k', sha256: hash, models: ['grok-2-tiny', 'other'] }]
    expect(problem({ ...minimal, EDGE_SECRET_KEYS: JSON.stringify(keys) })).toBe('gateway configuration: EDGE_SECRET_KEYS[0].models[1]: not one of EDGE_MODELS')
    const web = [{ id: 'k', sha256: hash, origins: ['https://a.example'] }]
    expect(problem({ ...minimal, EDGE_SECRET_KEYS: JSON.stringify([{ id: 'k', sha256: hash }]), EDGE_PUBLISHABLE_KEYS: web })).toBe(
      'gateway configuration: EDGE_PUBLISHABLE_KEYS[0].id: "k" is used by another key',
    )
  })
})

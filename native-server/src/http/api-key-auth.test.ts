import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { errorEnvelopeSchema } from '@tandem/protocol'
import { apiKeyAuth } from './api-key-auth.ts'

function app(options: Parameters<typeof apiKeyAuth>[0]) {
  const hono = new Hono()
  hono.use(apiKeyAuth(options))
  hono.all('*', (c) => c.text('ok'))
  return (path: string, authorization?: string) => hono.request(path, { headers: authorization === undefined ? {} : { authorization } })
}

describe('apiKeyAuth', () => {
  const keyed = app({ apiKey: ['first-key', 'second-key'], metricsAuth: 'api-key' })

  it('asks every route but /healthz and /readyz for one of the keys', async () => {
    for (const path of ['/healthz', '/readyz']) expect((await keyed(path)).status).toBe(200)
    for (const path of ['/v1/chat/completions', '/v1/models', '/metrics', '/anything']) {
      expect((await keyed(path)).status).toBe(401)
      expect((await keyed(path, 'Bearer second-key')).status).toBe(200)
    }
    expect((await keyed('/v1/models', 'bearer first-key')).status).toBe(200)
  })

  it('refuses a missing or wrong key with 401 and the envelope, saying which, never echoing the key', async () => {
    const missing = await keyed('/v1/models')
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    expect(errorEnvelopeSchema.parse(await missing.json()).error).toMatchObject({ code: 'unauthorized', type: 'authentication_error', message: expect.stringMatching(/^missing API key/) })
    for (const header of ['Bearer first-ke', 'Bearer first-key2', 'Basic Zmlyc3Qta2V5', 'first-key', 'Bearer FIRST-KEY']) {
      const wrong = await keyed('/v1/models', header)
      expect(wrong.status).toBe(401)
      const text = await wrong.text()
      expect(text).not.toContain('first-k')
      expect(text).not.toContain('FIRST')
    }
    expect((await (await keyed('/v1/models', 'Bearer nope')).json()) as unknown).toMatchObject({ error: { message: 'invalid API key' } })
  })

  it('leaves /metrics open when told, and everything open without keys', async () => {
    const scraped = app({ apiKey: ['k'], metricsAuth: 'none' })
    expect((await scraped('/metrics')).status).toBe(200)
    expect((await scraped('/v1/models')).status).toBe(401)
    const open = app({ apiKey: [], metricsAuth: 'api-key' })
    expect((await open('/v1/models')).status).toBe(200)
  })
})

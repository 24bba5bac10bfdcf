// The routes while a model loads and once it has: a real llama-cpp engine on the tiny Grok-2, asked
// before its load() and after, through the app alone (web-standard Request and Response).
import { ensureTinyModel } from '@tandem/models/node'
import { errorEnvelopeSchema, silentLogger } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.ts'
import { LlamaCppEngine } from '../engines/index.ts'
import { createServerMetrics } from '../metrics/index.ts'

let engine: LlamaCppEngine
let app: ReturnType<typeof createApp>
beforeAll(async () => {
  engine = new LlamaCppEngine({
    models: [{ name: 'grok-2-tiny', path: (await ensureTinyModel()).f16Path }],
    threads: 1,
    contextSize: 256,
    batchSize: 256,
    parallel: 1,
    queueDepth: 1,
    queueTimeoutMs: 0,
    streamIntervalMs: 16,
    gpu: false,
    gpuLayers: 'auto',
    logger: silentLogger,
  })
  const shutdown = { draining: false, cut: new AbortController().signal }
  app = createApp({ engine, metrics: createServerMetrics(engine), logger: silentLogger, maxBodyBytes: 65_536, heartbeatMs: 0, logPrompts: false, shutdown })
})
afterAll(() => engine?.close())

const chat = (model: string) =>
  app.request('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }) })

async function refusal(response: Response) {
  return { status: response.status, retryAfter: response.headers.get('retry-after'), error: errorEnvelopeSchema.parse(await response.json()).error }
}

describe('the app while its model loads', () => {
  it('answers a configured model 503 with Retry-After and model_loading, never 404; an unknown one 404', async () => {
    expect(await refusal(await chat('grok-2-tiny'))).toMatchObject({ status: 503, retryAfter: '1', error: { code: 'model_loading', type: 'server_error', param: 'model' } })
    expect(await refusal(await chat('grok-9'))).toMatchObject({ status: 404, retryAfter: null, error: { code: 'model_not_found', param: 'model' } })
  })

  it('is live but not ready', async () => {
    expect((await app.request('/healthz')).status).toBe(200)
    const ready = await app.request('/readyz')
    expect([ready.status, ready.headers.get('retry-after'), await ready.json()]).toEqual([503, '1', { status: 'unavailable', reason: 'not loaded' }])
    expect(await (await app.request('/v1/models')).json()).toEqual({ object: 'list', data: [] })
  })

  it('serves once loaded', async () => {
    await engine.load()
    const response = await chat('grok-2-tiny')
    expect(response.status).toBe(200)
    expect(((await response.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBeLessThanOrEqual(2)
    expect((await app.request('/readyz')).status).toBe(200)
    expect((await refusal(await chat('grok-9'))).status).toBe(404)
  })
})

// @tandem/sdk inside workerd (a tiny Worker under test/sdk/workerd/, started with wrangler's
// unstable_startWorker) against a real native-server on the tiny Grok-2: the same properties as in Node.
import { fileURLToPath } from 'node:url'
import type { Observed } from './observe.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, MODEL, startUpstream, type Upstream } from '../edge/harness.ts'
import { serverText } from './server-text.ts'

const messages = [{ role: 'user' as const, content: 'Say something.' }]
const fixed = { messages, max_tokens: 12, temperature: 0, ignore_eos: true }

describe('the SDK in workerd', () => {
  let upstream: Upstream | undefined
  let worker: { url: string; close(): Promise<void> } | undefined

  beforeAll(async () => {
    try {
      upstream = await startUpstream()
      process.env.WRANGLER_SEND_METRICS = 'false'
      const { unstable_startWorker } = await import('wrangler')
      const started = await unstable_startWorker({
        config: fileURLToPath(new URL('./workerd/wrangler.toml', import.meta.url)),
        bindings: { BASE_URL: { type: 'plain_text', value: `${upstream.server.url}/v1` }, API_KEY: { type: 'plain_text', value: 'sk_unused' } },
        dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, logLevel: 'error' },
      })
      worker = { url: '', close: () => started.dispose() }
      await started.ready
      worker = { ...worker, url: (await started.url).href.replace(/\/$/, '') }
    } catch (error) {
      await closeAll(worker, upstream?.server)
      throw error
    }
  })
  afterAll(() => closeAll(worker, upstream?.server))

  const observe = async (params: Record<string, unknown>) => {
    const response = await fetch(worker!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })
    expect(response.status).toBe(200)
    return (await response.json()) as Observed
  }

  it("streams the server's own text on the remote route, and plans around the missing Web Worker", async () => {
    const seen = await observe(fixed)
    expect(seen.error).toBeUndefined()
    expect(seen.route).toBe('remote')
    expect(seen.reasons).toEqual(['this runtime cannot start a Web Worker, so the model cannot run here', `remote: the gateway serves ${MODEL}`])
    expect(seen.chunks).toBeGreaterThan(2)
    expect(seen.finishReason).toBe('length')

    const expected = await serverText(upstream!.server.url, { model: MODEL, ...fixed })
    expect(expected.length).toBeGreaterThan(0)
    expect(seen.text).toBe(expected)
  })

  it("reports the server's errors as TandemErrors with their stable codes there too", async () => {
    const seen = await observe({ ...fixed, model: 'grok-9' })
    expect(seen.error).toMatchObject({ code: 'not_found', status: 404 })
    expect(seen.error?.message).toMatch(/grok-9/)
  })
})

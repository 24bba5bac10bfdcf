// @tandem/sdk inside workerd (a tiny Worker under test/sdk/workerd/, started with wrangler's
// unstable_startWorker) against a real native-server on the tiny Grok-2: the same properties as in Node.
import type { Observed } from './observe.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODEL, startWorkerOnUpstream } from '../edge/harness.ts'
import { serverText } from './server-text.ts'

const messages = [{ role: 'user' as const, content: 'Say something.' }]
const fixed = { messages, max_tokens: 12, temperature: 0, ignore_eos: true }

describe('the SDK in workerd', () => {
  let stack: Awaited<ReturnType<typeof startWorkerOnUpstream>> | undefined
  beforeAll(async () => {
    stack = await startWorkerOnUpstream(new URL('./workerd/wrangler.toml', import.meta.url))
  })
  afterAll(() => stack?.close())

  const observe = async (params: Record<string, unknown>) => {
    const response = await fetch(stack!.worker.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })
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

    const expected = await serverText(stack!.upstream.server.url, { model: MODEL, ...fixed })
    expect(expected.length).toBeGreaterThan(0)
    expect(seen.text).toBe(expected)
  })

  it("reports the server's errors as TandemErrors with their stable codes there too", async () => {
    const seen = await observe({ ...fixed, model: 'grok-9' })
    expect(seen.error).toMatchObject({ code: 'not_found', status: 404 })
    expect(seen.error?.message).toMatch(/grok-9/)
  })
})

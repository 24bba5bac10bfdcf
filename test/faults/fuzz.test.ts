// Fault: ≥1,000 malformed or hostile requests to the gateway and to native-server each. Every one
// is a 4xx with the OpenAI error envelope, none a 5xx, nothing crashes, and a valid request still works.
import fc from 'fast-check'
import { errorEnvelopeSchema } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, gatewayEnv, keys, metric, MODEL, startNodeGateway, startUpstream, UPSTREAM_KEY, type Gateway, type Upstream } from '../edge/harness.ts'
import { hostileRequests } from './hostile-requests.ts'

let upstream: Upstream | undefined
let gateway: Gateway | undefined
beforeAll(async () => {
  // native-server asks for a key, as deployed, so that its bad-credential cases (valid bodies) can be refused only by it.
  upstream = await startUpstream({ apiKey: [UPSTREAM_KEY] })
  gateway = await startNodeGateway(gatewayEnv([upstream.server.url], { EDGE_UPSTREAM_KEY: UPSTREAM_KEY }))
})
afterAll(() => closeAll(gateway, upstream?.server))

const valid = { model: MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 2 }
const RUNS = 1000

async function fuzz(baseURL: string, key: string): Promise<Map<number, number>> {
  const statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(hostileRequests(valid, key), async ({ body, headers }) => {
      const response = await fetch(`${baseURL}/v1/chat/completions`, { method: 'POST', headers, body })
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
      const envelope = errorEnvelopeSchema.safeParse(await response.json().catch(() => undefined))
      expect(envelope.success).toBe(true)
      expect(envelope.data!.error.message).not.toMatch(/\n\s+at /) // no stack traces
    }),
    { numRuns: RUNS, seed: 20261129 },
  )
  return statuses
}

async function stillServes(baseURL: string, key: string): Promise<void> {
  const response = await fetch(`${baseURL}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(valid),
  })
  expect(response.status).toBe(200)
  expect(((await response.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(2)
}

describe(`${RUNS} hostile requests`, () => {
  it('to native-server: all 4xx with the error envelope, none reaches the model, and it keeps serving', async () => {
    const generated = () => Promise.all(['tandem_prompt_tokens_total', 'tandem_completion_tokens_total', 'tandem_decode_steps_total'].map((name) => metric(upstream!.server, name)))
    const before = await generated()
    const statuses = await fuzz(upstream!.server.url, UPSTREAM_KEY)
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS)
    expect(await generated()).toEqual(before)
    await stillServes(upstream!.server.url, UPSTREAM_KEY)
  })

  it('to the gateway: all 4xx with the error envelope, none reaches native-server, and it keeps serving', async () => {
    const before = await metric(upstream!.server, 'tandem_requests_total')
    const statuses = await fuzz(gateway!.url, keys.secret)
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS)
    expect(await metric(upstream!.server, 'tandem_requests_total')).toBe(before)
    await stillServes(gateway!.url, keys.secret)
  })
})

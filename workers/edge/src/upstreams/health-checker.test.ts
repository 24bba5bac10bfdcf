// Active checks against a plain node:http server on loopback whose /readyz the test turns on and off
// (and whose /v1/models says what native-server says), and an address where nothing listens.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJsonLogger } from '@tandem/protocol'
import { HealthChecker, RECHECK_WHILE_NONE_READY_MS } from './health-checker.ts'
import { webFetch } from './upstream-fetch.ts'
import { UpstreamPool } from './upstream-pool.ts'

let server: Server
let url: string
let ready = false
let checks = 0
const tiny = { id: 'grok-2-tiny', object: 'model', created: 1_760_000_000, owned_by: 'tandem', max_model_len: 4096, prompt_bound: { max_token_bytes: 16, tokens_per_message: 1 } }
let modelList: unknown = { object: 'list', data: [tiny] }

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/readyz') checks++
    if (request.url === '/v1/models') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(modelList))
    response.writeHead(request.url === '/readyz' && ready ? 200 : 503).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

function checker(intervalMs = 60_000) {
  const pool = new UpstreamPool(
    [
      { name: 'up', url, weight: 1 },
      { name: 'nothing', url: 'http://127.0.0.1:9', weight: 1 },
    ],
    { ejectMs: intervalMs },
  )
  const health = new HealthChecker(pool, { fetch: webFetch, intervalMs, headers: {}, log: createJsonLogger({ level: 'off' }) })
  return { pool, health, up: pool.upstreams[0]!, nothing: pool.upstreams[1]! }
}

describe('HealthChecker', () => {
  it('marks upstreams ready, and seen ready, only when their /readyz says so', async () => {
    ready = false
    const { pool, health, up, nothing } = checker()
    expect([up.ready, up.seenReady]).toEqual([false, false])
    await health.run()
    expect([up.ready, up.seenReady, nothing.ready]).toEqual([false, false, false])
    ready = true
    await health.run()
    expect([up.ready, up.seenReady, nothing.seenReady]).toEqual([true, true, false])
    ready = false
    await health.run()
    expect([up.ready, up.seenReady, pool.readyCount()]).toEqual([false, true, 0])
  })

  it('reads a ready upstream’s models with its readiness, and keeps the last good list', async () => {
    ready = false
    const { health, up, nothing } = checker()
    await health.run()
    expect(up.models).toBeUndefined()
    ready = true
    await health.run()
    expect([...up.models!]).toEqual([['grok-2-tiny', { created: 1_760_000_000, max_model_len: 4096, prompt_bound: { max_token_bytes: 16, tokens_per_message: 1 } }]])
    modelList = { object: 'list', data: [{ id: 'x' }] }
    await health.run()
    expect(up.models!.has('grok-2-tiny')).toBe(true)
    expect(nothing.models).toBeUndefined()
    modelList = { object: 'list', data: [tiny] }
  })

  it('checks on demand while none is ready, at most every few hundred ms, and not at all once one is', async () => {
    ready = false
    const { health, up } = checker()
    checks = 0
    await health.checkIfNoneReady(Date.now())
    expect(checks).toBe(1)
    // Just found none ready: a request now is answered from that.
    await health.checkIfNoneReady(Date.now())
    expect(checks).toBe(1)
    ready = true
    await new Promise((resolve) => setTimeout(resolve, RECHECK_WHILE_NONE_READY_MS + 20))
    await health.checkIfNoneReady(Date.now())
    expect([checks, up.ready]).toEqual([2, true])
    await health.checkIfNoneReady(Date.now() + 60_000)
    expect(checks).toBe(2)
  })

  it('runs the periodic round once per interval', async () => {
    const { health } = checker(1000)
    checks = 0
    const first = health.runIfDue(0)
    expect(first).toBeDefined()
    expect(health.runIfDue(1)).toBeUndefined()
    await first
    expect(health.runIfDue(500)).toBeUndefined()
    await health.runIfDue(1000)
    expect(checks).toBe(2)
  })
})

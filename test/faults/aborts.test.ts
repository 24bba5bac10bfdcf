// Fault: 100 callers give up at random points, through the SDK and the gateway. Afterwards no
// sequence may still be generating and nothing may wait in the queue: aborts reach the model.
import { createTandem, TandemError } from '@tandem/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, gatewayEnv, keys, metric, MODEL, startNodeGateway, startUpstream, type Gateway, type Upstream } from '../edge/harness.ts'

let upstream: Upstream | undefined
let gateway: Gateway | undefined
beforeAll(async () => {
  upstream = await startUpstream()
  gateway = await startNodeGateway(gatewayEnv([upstream.server.url]))
})
afterAll(() => closeAll(gateway, upstream?.server))

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _
}

/** A seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

describe('100 client aborts at random points', () => {
  it('leave zero sequences generating and an empty queue, and the server keeps serving', async () => {
    const tandem = createTandem({ model: MODEL, route: 'remote-only', remote: { baseURL: `${gateway!.url}/v1`, apiKey: keys.secret } })
    const next = random(20261129)
    const before = await metric(upstream!.server, 'tandem_cancellations_total')
    // On past the end of the turn (ignore_eos) for 2000 tokens, so every answer is cut, never finished.
    const request = { messages: [{ role: 'user' as const, content: 'Tell me everything.' }], max_tokens: 2000, temperature: 0, ignore_eos: true, stream: true as const }

    const outcomes = { beforeFirstChunk: 0, midStream: 0 }
    async function abortAtRandom(): Promise<void> {
      const controller = new AbortController()
      const afterChunks = Math.floor(next() * 24) - 4 // below 0: give up before the answer starts
      if (afterChunks < 0) {
        setTimeout(() => controller.abort(), Math.floor(next() * 5))
        const failure = await tandem.chat.completions.create({ ...request, signal: controller.signal }).then(drain).catch((error: unknown) => error)
        expect(TandemError.isInstance(failure) && failure.code).toBe('aborted')
        outcomes.beforeFirstChunk++
        return
      }
      const stream = await tandem.chat.completions.create({ ...request, signal: controller.signal })
      let seen = 0
      const failure = await (async () => {
        for await (const _ of stream) if (seen++ === afterChunks) controller.abort()
      })().catch((error: unknown) => error)
      expect(TandemError.isInstance(failure) && failure.code).toBe('aborted')
      outcomes.midStream++
    }

    // Four callers at a time, as many as the server has slots.
    for (let round = 0; round < 25; round++) await Promise.all([abortAtRandom(), abortAtRandom(), abortAtRandom(), abortAtRandom()])
    expect(outcomes.beforeFirstChunk + outcomes.midStream).toBe(100)
    expect(outcomes.midStream).toBeGreaterThan(50)

    await expect.poll(() => metric(upstream!.server, 'tandem_active_sequences'), { timeout: 20_000 }).toBe(0)
    expect(await metric(upstream!.server, 'tandem_queue_depth')).toBe(0)
    const cancelled = (await metric(upstream!.server, 'tandem_cancellations_total')) - before
    // Every answer that had started was cut at the model; one given up earlier may never have reached it.
    expect(cancelled).toBeGreaterThanOrEqual(outcomes.midStream)
    expect(cancelled).toBeLessThanOrEqual(100)

    const completion = await tandem.chat.completions.create({ ...request, stream: false, max_tokens: 4 })
    expect(completion.usage.completion_tokens).toBe(4)
  })
})

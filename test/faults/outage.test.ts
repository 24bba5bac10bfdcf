// Fault: one of two native-servers dies (SIGKILL) while 16 streams are in flight through the SDK
// and the gateway in workerd, and new requests keep arriving. Requests without their first byte
// move to the other native-server and succeed; streams cut after it end with the error envelope,
// never silently; nothing hangs. Then a native-server comes back on the same port and gets traffic again.
import { TandemError } from '@tandem/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metric, spawnUpstream, UPSTREAM_KEY, type Gateway, type UpstreamProcess } from '../edge/harness.ts'
import { hung as ranOutOfTime, notComplete, notProperlyCut, send as sendThroughSdk, type Sent } from './sdk-streams.ts'
import { startStack, type Stack } from './stack.ts'

const IN_FLIGHT = 16
/** Every request must settle within this; one that does not counts as hung. */
const SETTLE_MS = 30_000
/** Long enough to be mid-stream at the kill (several seconds at four sequences a server), short enough to drain in time. */
const LONG = 400
const SHORT = 16
const HEALTH_INTERVAL_MS = 1000 // gatewayEnv's EDGE_HEALTH_INTERVAL_MS

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const send = (gateway: Gateway, maxTokens: number) => sendThroughSdk(gateway, maxTokens, { settleMs: SETTLE_MS })

async function load(upstream: UpstreamProcess): Promise<{ active: number; queued: number }> {
  const [active, queued] = await Promise.all([metric(upstream, 'tandem_active_sequences'), metric(upstream, 'tandem_queue_depth')])
  return { active, queued }
}

let stack: Stack | undefined
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack?.close())

describe('a native-server killed under load', () => {
  it('moves waiting requests, cuts running streams with an error event, hangs nothing, and takes the server back', { timeout: 120_000 }, async () => {
    const { gateway, upstreams } = stack!
    const [survivor, victim] = upstreams as [UpstreamProcess, UpstreamProcess]

    // 16 long streams, a little apart so the pool spreads them: four run and four wait on each server.
    const inFlight: Sent[] = []
    for (let i = 0; i < IN_FLIGHT; i++) {
      inFlight.push(send(gateway, LONG))
      await sleep(30)
    }
    // New requests keep arriving, from now until 3 s after the kill.
    const arrivals: Sent[] = []
    let stopArrivals = Number.POSITIVE_INFINITY
    const arriving = (async () => {
      while (performance.now() < stopArrivals) {
        arrivals.push(send(gateway, SHORT))
        await sleep(150)
      }
    })()

    // Kill once every running stream has its first byte, while requests still wait at the victim.
    let atKill: { active: number; queued: number } | undefined
    const waitUntil = performance.now() + 20_000
    while (atKill === undefined && performance.now() < waitUntil) {
      const [s, v] = await Promise.all([load(survivor), load(victim)])
      const answered = inFlight.filter((sent) => sent.answeredAt !== undefined).length
      if (answered === 8 && s.active === 4 && v.active === 4 && v.queued > 0) atKill = v
      else await sleep(25)
    }
    expect(atKill, 'four running and some waiting on each server').toBeDefined()
    victim.kill()
    const killAt = performance.now()
    // A burst in the same moment, before the gateway can know.
    const burst = Array.from({ length: 4 }, () => send(gateway, SHORT))
    stopArrivals = killAt + 3000
    await arriving

    const all = [...inFlight, ...arrivals, ...burst]
    await Promise.all(all.map((sent) => sent.settled))
    const settledIn = (performance.now() - killAt) / 1000

    const hung = all.filter(ranOutOfTime)
    const startedBeforeKill = all.filter((sent) => sent.answeredAt !== undefined && sent.answeredAt < killAt)
    const waitingAtKill = all.filter((sent) => sent.sentAt < killAt && !startedBeforeKill.includes(sent))
    const sentAfterKill = all.filter((sent) => sent.sentAt >= killAt)
    const cut = startedBeforeKill.filter((sent) => sent.outcome?.kind === 'failed')
    const finished = startedBeforeKill.filter((sent) => sent.outcome?.kind === 'done')
    console.log(
      `outage: ${all.length} requests (${inFlight.length} long in flight, ${arrivals.length + burst.length} arriving); at the kill the victim ran ${atKill!.active} and had ${atKill!.queued} waiting. ` +
        `Moved (waiting at the victim, answered by the survivor): ${atKill!.queued}; waiting anywhere at the kill: ${waitingAtKill.length}, succeeded ${waitingAtKill.filter((s) => !notComplete(s)).length}; ` +
        `sent after the kill: ${sentAfterKill.length}, succeeded ${sentAfterKill.filter((s) => !notComplete(s)).length}; ` +
        `cut after the first byte with event: error: ${cut.length} (SDK threw TandemError: ${cut.filter((s) => s.outcome?.kind === 'failed' && TandemError.isInstance(s.outcome.error)).length}); ` +
        `running streams that finished: ${finished.length}; hung: ${hung.length}; all settled ${settledIn.toFixed(1)} s after the kill`,
    )

    expect(hung).toEqual([])
    // Never a silent truncation: each stream cut at the victim ends with the envelope, in the bytes and in the SDK.
    expect(cut.map(notProperlyCut)).toEqual(cut.map(() => undefined))
    expect(cut.length).toBe(atKill!.active)
    expect(finished.map(notComplete)).toEqual(finished.map(() => undefined))
    // Everything without its first byte at the kill (those waiting at the victim included) and everything after it succeeds.
    expect([...waitingAtKill, ...sentAfterKill].map(notComplete)).toEqual([...waitingAtKill, ...sentAfterKill].map(() => undefined))
    expect(sentAfterKill.length).toBeGreaterThanOrEqual(10)

    // Traffic goes on while a native-server comes back where the victim was; the pool's health checks find it.
    const meanwhile: Sent[] = []
    let trickling = true
    const trickle = (async () => {
      while (trickling) {
        meanwhile.push(send(gateway, SHORT))
        await sleep(200)
      }
    })()
    let servedAfterMs: number | undefined
    try {
      await victim.close()
      const revived = await spawnUpstream({ port: Number(new URL(victim.url).port), apiKey: UPSTREAM_KEY })
      upstreams[1] = revived
      expect(revived.url).toBe(victim.url)
      const readyAt = performance.now()
      while (servedAfterMs === undefined && performance.now() - readyAt < 5 * HEALTH_INTERVAL_MS) {
        if ((await metric(revived, 'tandem_requests_total')) > 0) servedAfterMs = performance.now() - readyAt
        else await sleep(50)
      }
    } finally {
      trickling = false
      await trickle
    }
    await Promise.all(meanwhile.map((sent) => sent.settled))
    const meanwhileFailed = meanwhile.filter((sent) => notComplete(sent) !== undefined)
    console.log(
      `outage: while it was down and coming back ${meanwhile.length} more requests, ${meanwhileFailed.length} failed; ` +
        `the revived native-server got requests ${servedAfterMs === undefined ? 'never' : `${Math.round(servedAfterMs)} ms`} after it was ready (health checks every ${HEALTH_INTERVAL_MS} ms)`,
    )
    expect(meanwhileFailed.map(notComplete)).toEqual([])
    expect(servedAfterMs).toBeDefined()
  })
})

// Rolling restart: two native-servers behind the gateway in workerd are each stopped as an
// orchestrator stops them (SIGTERM: drain, then exit) and started again on the same port, one after
// the other, while 8 callers stream through the SDK. No request that had not started streaming may
// fail; a stream cut mid-answer (longer than the drain's grace) ends with `event: error`; nothing hangs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metric, spawnUpstream, UPSTREAM_KEY } from '../edge/harness.ts'
import { hung, notComplete, notProperlyCut, send, streamed, type Sent } from './sdk-streams.ts'
import { startStack, type Stack } from './stack.ts'

const CALLERS = 8
/** tandem-native's --shutdown-grace-ms: a stream still running after this is cut. */
const GRACE_MS = 1000
const UPSTREAM_ARGS = ['--shutdown-grace-ms', String(GRACE_MS)]
/** Most callers ask for short answers, which finish inside the grace; every fourth for one long enough to be cut. */
const SHORT = 24
const LONG = 1500
const SETTLE_MS = 30_000
const HEALTH_INTERVAL_MS = 1000 // gatewayEnv's EDGE_HEALTH_INTERVAL_MS

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let stack: Stack | undefined
beforeAll(async () => {
  stack = await startStack({ upstreamArgs: UPSTREAM_ARGS })
})
afterAll(() => stack?.close())

/** Stops the upstream at `index` with SIGTERM, starts a new one on its port, and waits until the gateway sends it requests again. */
async function restart(stack: Stack, index: number): Promise<{ downMs: number; backAfterMs: number }> {
  const old = stack.upstreams[index]!
  const stoppedAt = performance.now()
  await old.stop()
  const revived = await spawnUpstream({ port: Number(new URL(old.url).port), args: UPSTREAM_ARGS, apiKey: UPSTREAM_KEY })
  stack.upstreams[index] = revived
  const readyAt = performance.now()
  const deadline = readyAt + 5 * HEALTH_INTERVAL_MS
  while ((await metric(revived, 'tandem_requests_total')) === 0) {
    if (performance.now() > deadline) throw new Error(`the gateway sent nothing to the restarted native-server ${index} within ${5 * HEALTH_INTERVAL_MS} ms`)
    await sleep(50)
  }
  return { downMs: readyAt - stoppedAt, backAfterMs: performance.now() - readyAt }
}

describe('a rolling restart of both native-servers', () => {
  it('fails no request that had not started streaming, and ends each cut stream with an error event', { timeout: 180_000 }, async () => {
    const all: Sent[] = []
    let calling = true
    const callers = Array.from({ length: CALLERS }, async (_, caller) => {
      while (calling) {
        const sent = send(stack!.gateway, caller % 4 === 0 ? LONG : SHORT, { settleMs: SETTLE_MS })
        all.push(sent)
        await sent.settled
      }
    })

    const restarts: Array<{ downMs: number; backAfterMs: number }> = []
    try {
      await sleep(1500)
      restarts.push(await restart(stack!, 0))
      await sleep(500)
      restarts.push(await restart(stack!, 1))
      await sleep(1500)
    } finally {
      calling = false
      await Promise.all(callers)
    }

    const unstarted = all.filter((sent) => !streamed(sent))
    const failedBeforeStreaming = unstarted.filter((sent) => sent.outcome?.kind !== 'done')
    const started = all.filter(streamed)
    const cut = started.filter((sent) => sent.outcome?.kind === 'failed')
    const finished = started.filter((sent) => sent.outcome?.kind === 'done')
    const hanging = all.filter(hung)
    console.log(
      `rolling restart: ${all.length} requests from ${CALLERS} callers across two restarts ` +
        `(${restarts.map((r, i) => `native-server ${i}: down ${(r.downMs / 1000).toFixed(1)} s, traffic again ${Math.round(r.backAfterMs)} ms after ready`).join('; ')}). ` +
        `Failed before streaming: ${failedBeforeStreaming.length}; streams finished: ${finished.length}; ` +
        `cut mid-answer with event: error: ${cut.length} (of them, long ones: ${cut.filter((s) => s.maxTokens === LONG).length}); hung: ${hanging.length}`,
    )

    expect(hanging.length).toBe(0)
    expect(failedBeforeStreaming.map(notComplete)).toEqual([])
    expect(finished.map(notComplete)).toEqual(finished.map(() => undefined))
    expect(cut.map(notProperlyCut)).toEqual(cut.map(() => undefined))
    expect(finished.length).toBeGreaterThan(CALLERS * 2)
  })
})

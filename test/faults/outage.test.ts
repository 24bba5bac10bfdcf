// Fault: one of two native-servers dies (SIGKILL) while 16 streams are in flight through the SDK
// and the gateway in workerd, and new requests keep arriving. Requests without their first byte
// move to the other native-server and succeed; streams cut after it end with the error envelope,
// never silently; nothing hangs. Then a native-server comes back on the same port and gets traffic again.
import { errorEnvelopeSchema, type Usage } from '@tandem/protocol'
import { createTandem, TandemError } from '@tandem/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, metric, MODEL, spawnUpstream, UPSTREAM_KEY, type Gateway, type UpstreamProcess } from '../edge/harness.ts'
import { readSse, type RawSse } from './raw-sse.ts'
import { startStack, type Stack } from './stack.ts'

const IN_FLIGHT = 16
/** Every request must settle within this; one that does not counts as hung. */
const SETTLE_MS = 30_000
/** Long enough to be mid-stream at the kill (several seconds at four sequences a server), short enough to drain in time. */
const LONG = 400
const SHORT = 16
const HEALTH_INTERVAL_MS = 1000 // gatewayEnv's EDGE_HEALTH_INTERVAL_MS

interface Sent {
  readonly maxTokens: number
  readonly sentAt: number
  /** When the gateway answered: it does only once the upstream's first byte is in. */
  answeredAt?: number
  outcome?: { kind: 'done'; finish: string | null | undefined; usage: Usage | undefined } | { kind: 'failed'; error: unknown }
  /** The same bytes the SDK read, to the end of the body. */
  raw?: RawSse
  /** Why the copy could not be read to its end. */
  rawError?: unknown
  settled: Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A streamed request through the SDK (no retries of its own), with a copy of the bytes it read. */
function send(gateway: Gateway, maxTokens: number): Sent {
  const sent = { maxTokens, sentAt: performance.now() } as Sent
  let raw: Promise<RawSse> | undefined
  const tandem = createTandem({
    model: MODEL,
    route: 'remote-only',
    maxRetries: 0,
    remote: { baseURL: `${gateway.url}/v1`, apiKey: keys.secret },
    async fetch(input: string | URL | Request, init?: RequestInit) {
      // Not the SDK's signal but the test's deadline: the SDK aborts its fetch as it leaves a stream
      // that ended with an error, and in Node 20 that leaves the other branch of a tee()d body pending
      // forever. So the copy is read to the end of the body, which shows the gateway does end it.
      const response = await fetch(input, { ...init, signal: AbortSignal.timeout(SETTLE_MS) })
      sent.answeredAt = performance.now()
      if (response.body === null) return response
      const [forSdk, forTest] = response.body.tee()
      raw = readSse(forTest)
      return new Response(forSdk, { status: response.status, statusText: response.statusText, headers: response.headers })
    },
  })
  sent.settled = (async () => {
    try {
      const stream = await tandem.chat.completions.create({
        messages: [{ role: 'user', content: 'Tell me everything.' }],
        max_tokens: maxTokens,
        temperature: 0,
        ignore_eos: true,
        stream: true,
        signal: AbortSignal.timeout(SETTLE_MS),
      })
      let finish: string | null | undefined
      let usage: Usage | undefined
      for await (const chunk of stream) {
        finish = chunk.choices[0]?.finish_reason ?? finish
        usage = chunk.usage ?? usage
      }
      sent.outcome = { kind: 'done', finish, usage }
    } catch (error) {
      sent.outcome = { kind: 'failed', error }
    }
    sent.raw = await raw?.catch((error: unknown) => void (sent.rawError = error))
  })()
  return sent
}

/** What is wrong with a request that should have succeeded. */
function notComplete({ outcome, raw, maxTokens }: Sent): string | undefined {
  if (outcome?.kind !== 'done') return `failed: ${outcome?.error instanceof Error ? outcome.error.message : String(outcome?.error)}`
  if (outcome.finish !== 'length' || outcome.usage?.completion_tokens !== maxTokens) return `finish ${outcome.finish}, usage ${JSON.stringify(outcome.usage)}`
  if (raw === undefined || raw.tail !== '' || raw.strayLines.length > 0 || raw.events.at(-1)?.data !== '[DONE]' || raw.events.some((e) => e.event !== 'message')) return 'malformed SSE'
  return undefined
}

/** What is wrong with a stream cut after its first byte: it must end with `event: error` and the envelope, in the bytes and in the SDK. */
function notProperlyCut({ outcome, raw }: Sent): string | undefined {
  if (outcome?.kind !== 'failed') return 'did not fail'
  if (!TandemError.isInstance(outcome.error) || !['upstream_unavailable', 'upstream_error'].includes(outcome.error.code)) return `the SDK threw ${String(outcome.error)}`
  const last = raw?.events.at(-1)
  if (raw === undefined || raw.tail !== '' || last?.event !== 'error') return `the bytes end with ${JSON.stringify(last ?? raw?.tail)}`
  if (!errorEnvelopeSchema.safeParse(JSON.parse(last.data)).success) return `not the envelope: ${last.data}`
  if (raw.events.filter((e) => e.event === 'message').length === 0 || raw.events.some((e) => e.data === '[DONE]')) return 'no chunks before the error, or [DONE] too'
  return undefined
}

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

    const timedOut = (error: unknown) => (TandemError.isInstance(error) && error.code === 'aborted') || (error instanceof Error && error.name === 'TimeoutError')
    const hung = all.filter(({ outcome, rawError }) => (outcome?.kind === 'failed' && timedOut(outcome.error)) || timedOut(rawError))
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

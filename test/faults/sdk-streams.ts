// A streamed request through the SDK with a copy of the bytes it read, and what makes one whole or
// properly cut: shared by the fault tests in which parts fail or restart under traffic.
import { errorEnvelopeSchema, type Usage } from '@tandem/protocol'
import { createTandem, TandemError } from '@tandem/sdk'
import { keys, MODEL, type Gateway } from '../edge/harness.ts'
import { readSse, type RawSse } from './raw-sse.ts'

export interface Sent {
  readonly maxTokens: number
  readonly sentAt: number
  /** When the gateway answered: it does only once the upstream's first byte is in. */
  answeredAt?: number
  /** The status of that answer (the last, when the SDK retried). */
  status?: number
  outcome?: { kind: 'done'; finish: string | null | undefined; usage: Usage | undefined } | { kind: 'failed'; error: unknown }
  /** The same bytes the SDK read, to the end of the body. */
  raw?: RawSse
  /** Why the copy could not be read to its end. */
  rawError?: unknown
  settled: Promise<void>
}

export interface SendOptions {
  /** Every request must settle within this; one that does not counts as hung. */
  readonly settleMs?: number
  /** The SDK's own retries before the first byte; none by default, so that what is measured is the gateway. */
  readonly maxRetries?: number
}

/** A streamed request through the SDK, greedy and exactly `maxTokens` long, with a copy of the bytes it read. */
export function send(gateway: Gateway, maxTokens: number, { settleMs = 30_000, maxRetries = 0 }: SendOptions = {}): Sent {
  const sent = { maxTokens, sentAt: performance.now() } as Sent
  let raw: Promise<RawSse> | undefined
  const tandem = createTandem({
    model: MODEL,
    route: 'remote-only',
    maxRetries,
    remote: { baseURL: `${gateway.url}/v1`, apiKey: keys.secret },
    async fetch(input: string | URL | Request, init?: RequestInit) {
      // The planner's read of GET /v1/models is not the stream under test.
      if (init?.method !== 'POST') return fetch(input, init)
      // Not the SDK's signal but the test's deadline: the SDK aborts its fetch as it leaves a stream
      // that ended with an error, and in Node 20 that leaves the other branch of a tee()d body pending
      // forever. So the copy is read to the end of the body, which shows the gateway does end it.
      const response = await fetch(input, { ...init, signal: AbortSignal.timeout(settleMs) })
      sent.answeredAt = performance.now()
      sent.status = response.status
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
        signal: AbortSignal.timeout(settleMs),
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

/** Whether the gateway's answer was a stream (200): the request had started streaming. */
export const streamed = (sent: Sent): boolean => sent.status === 200

/** A request or its copy that ran into the test's deadline. */
export function hung({ outcome, rawError }: Sent): boolean {
  const timedOut = (error: unknown) => (TandemError.isInstance(error) && error.code === 'aborted') || (error instanceof Error && error.name === 'TimeoutError')
  return (outcome?.kind === 'failed' && timedOut(outcome.error)) || timedOut(rawError)
}

/** What is wrong with a request that should have succeeded. */
export function notComplete({ outcome, raw, maxTokens }: Sent): string | undefined {
  if (outcome?.kind !== 'done') return `failed: ${outcome?.error instanceof Error ? outcome.error.message : String(outcome?.error)}`
  if (outcome.finish !== 'length' || outcome.usage?.completion_tokens !== maxTokens) return `finish ${outcome.finish}, usage ${JSON.stringify(outcome.usage)}`
  if (raw === undefined || raw.tail !== '' || raw.strayLines.length > 0 || raw.events.at(-1)?.data !== '[DONE]' || raw.events.some((e) => e.event !== 'message')) return 'malformed SSE'
  return undefined
}

/** What is wrong with a stream cut after its first byte: it must end with `event: error` and the envelope, in the bytes and in the SDK. */
export function notProperlyCut({ outcome, raw }: Sent): string | undefined {
  if (outcome?.kind !== 'failed') return 'did not fail'
  if (!TandemError.isInstance(outcome.error) || !['upstream_unavailable', 'upstream_error'].includes(outcome.error.code)) return `the SDK threw ${String(outcome.error)}`
  const last = raw?.events.at(-1)
  if (raw === undefined || raw.tail !== '' || last?.event !== 'error') return `the bytes end with ${JSON.stringify(last ?? raw?.tail)}`
  if (!errorEnvelopeSchema.safeParse(JSON.parse(last.data)).success) return `not the envelope: ${last.data}`
  if (raw.events.filter((e) => e.event === 'message').length === 0 || raw.events.some((e) => e.data === '[DONE]')) return 'no chunks before the error, or [DONE] too'
  return undefined
}

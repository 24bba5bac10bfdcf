// The whole stack for the fault tests: two native-servers on the tiny Grok-2, each in its own
// process (so it can be killed and its memory read), behind the gateway in workerd through wrangler.
import { closeAll, gatewayEnv, keys, metric, spawnUpstream, startWorkerdGateway, UPSTREAM_KEY, type Gateway, type UpstreamProcess } from '../edge/harness.ts'
import { startSseTap, type SseTap } from './sse-tap.ts'

export interface Stack {
  /** Mutable: a test that kills one may put a new one in its place. */
  readonly upstreams: UpstreamProcess[]
  readonly gateway: Gateway
  /** With `tap`: one per upstream, in order, between the gateway and it. */
  readonly taps: SseTap[]
  close(): Promise<void>
}

export interface StackOptions {
  /** Gateway settings over `gatewayEnv`'s. */
  readonly env?: Record<string, string>
  /** Puts an SseTap between the gateway and each upstream, to see what each really sent. */
  readonly tap?: boolean
  /** More tandem-native flags for both upstreams. */
  readonly upstreamArgs?: readonly string[]
}

/** Starts everything; on any failure closes what did start and throws. */
export async function startStack({ env = {}, tap = false, upstreamArgs = [] }: StackOptions = {}): Promise<Stack> {
  // As deployed: each native-server asks for a key, and the gateway sends it.
  const upstream = () => spawnUpstream({ apiKey: UPSTREAM_KEY, args: upstreamArgs })
  const started = await Promise.allSettled([upstream(), upstream()])
  const upstreams = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const taps: SseTap[] = []
  let gateway: Gateway | undefined
  try {
    const failed = started.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
    if (tap) for (const upstream of upstreams) taps.push(await startSseTap(upstream.url))
    const targets = tap ? taps : upstreams
    gateway = await startWorkerdGateway(gatewayEnv(targets.map((target) => target.url), { EDGE_UPSTREAM_KEY: UPSTREAM_KEY, ...env }))
  } catch (error) {
    await closeAll(...taps, ...upstreams)
    throw error
  }
  const ready = gateway
  return { upstreams, gateway, taps, close: () => closeAll(ready, ...taps, ...upstreams) }
}

export interface PostOptions {
  /** Null sends no Authorization header; a string without a space is sent as `Bearer <key>`. */
  readonly key?: string | null
  /** The whole Authorization header, for malformed ones. */
  readonly authorization?: string
  readonly origin?: string
  readonly signal?: AbortSignal
  readonly path?: string
}

/** A POST to the gateway, as a server (no Origin) or a page (with one) would send it. */
export function post(gateway: Gateway, body: unknown, { key = keys.secret, authorization, origin, signal, path = '/v1/chat/completions' }: PostOptions = {}): Promise<Response> {
  const auth = authorization ?? (key === null ? undefined : `Bearer ${key}`)
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth !== undefined && { authorization: auth }), ...(origin !== undefined && { origin }) },
    body: JSON.stringify(body),
    signal,
  })
}

/** Each upstream's count of chat requests it answered (`tandem_requests_total`), in order. */
export function requestCounts(upstreams: readonly UpstreamProcess[]): Promise<number[]> {
  return Promise.all(upstreams.map((upstream) => metric(upstream, 'tandem_requests_total')))
}

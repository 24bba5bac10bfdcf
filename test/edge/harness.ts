// Real parts for the gateway's tests and bench: native-servers on the tiny Grok-2, and the
// gateway in workerd (through wrangler) or in this Node process. Everything on loopback, port 0.
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { startGateway } from '@tandem/edge/node'
import { createJsonLogger } from '@tandem/edge'
import { ensureTinyModel } from '@tandem/models/node'
import { startNativeServer, type NativeServer, type NativeServerOptions } from '@tandem/native-server'
import { startTandemNative } from '../../scripts/processes.ts'

export const MODEL = 'grok-2-tiny'
export const WEB_ORIGIN = 'https://app.example'
export const TOKEN_SECRET = 'edge-test-token-secret-of-32-characters-at-least'
export const keys = {
  secret: 'sk_edge_test_secret',
  limited: 'sk_edge_test_limited',
  frugal: 'sk_edge_test_frugal',
  metered: 'sk_edge_test_metered',
  minter: 'sk_edge_test_minter',
  narrow: 'sk_edge_test_narrow',
  publishable: 'pk_edge_test_web',
} as const

/** The key the fault stack's native-servers ask for (TANDEM_API_KEY), and its gateway sends (EDGE_UPSTREAM_KEY). */
export const UPSTREAM_KEY = 'tandem-upstream-test-key-0123456789'

/** The tokens per minute of the `metered` key, whose charges a test reads from x-ratelimit-remaining-tokens. */
export const METERED_TPM = 1_000_000

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export interface Gateway {
  readonly url: string
  close(): Promise<void>
}

/** The gateway's settings for these upstreams: secret keys with different limits, a publishable key, tokens. Concurrency is left wide except on `narrow`, so bursts meet the limits they test. */
export function gatewayEnv(upstreams: readonly string[], overrides: Record<string, string> = {}): Record<string, string> {
  return {
    EDGE_UPSTREAMS: upstreams.join(','),
    EDGE_MODELS: MODEL,
    EDGE_SECRET_KEYS: JSON.stringify([
      { id: 'server', sha256: sha256(keys.secret), limits: { rpm: 100_000, tpm: 1e9, concurrent: 1000 }, token_limits: { rpm: 100_000, tpm: 1e9, concurrent: 1000 } },
      { id: 'limited', sha256: sha256(keys.limited), limits: { rpm: 5, tpm: 1e9, concurrent: 1000 } },
      { id: 'frugal', sha256: sha256(keys.frugal), limits: { rpm: 1000, tpm: 300, concurrent: 1000 } },
      { id: 'metered', sha256: sha256(keys.metered), limits: { rpm: 100_000, tpm: METERED_TPM, concurrent: 1000 } },
      { id: 'minter', sha256: sha256(keys.minter), limits: { rpm: 40, tpm: 1e9, concurrent: 1000 }, token_limits: { rpm: 3, tpm: 1e9, concurrent: 1000 } },
      { id: 'narrow', sha256: sha256(keys.narrow), limits: { rpm: 100_000, tpm: 1e9, concurrent: 2 } },
    ]),
    EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'web', sha256: sha256(keys.publishable), origins: [WEB_ORIGIN], limits: { rpm: 100_000, tpm: 1e9, concurrent: 1000 } }]),
    EDGE_TOKEN_SECRET: TOKEN_SECRET,
    EDGE_HEALTH_INTERVAL_MS: '1000',
    EDGE_LOG_LEVEL: 'warn',
    ...overrides,
  }
}

const SECRETS = new Set(['EDGE_SECRET_KEYS', 'EDGE_TOKEN_SECRET', 'EDGE_UPSTREAM_KEY'])

/** The Workers entry in workerd, through wrangler, with the root wrangler.toml and these settings over its vars. */
export function startWorkerdGateway(env: Record<string, string>): Promise<Gateway> {
  return startWorkerd(new URL('../../wrangler.toml', import.meta.url), env)
}

/** The Worker a wrangler.toml names, in workerd through wrangler, on a free loopback port, with these vars (secrets as secrets). */
export async function startWorkerd(config: URL, env: Record<string, string>): Promise<Gateway> {
  process.env.WRANGLER_SEND_METRICS = 'false'
  const { unstable_startWorker } = await import('wrangler')
  const bindings = Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, { type: SECRETS.has(name) ? ('secret_text' as const) : ('plain_text' as const), value }]),
  )
  const worker = await unstable_startWorker({
    config: fileURLToPath(config),
    bindings,
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, logLevel: 'error' },
  })
  try {
    await worker.ready
    const url = (await worker.url).href.replace(/\/$/, '')
    return { url, close: () => worker.dispose() }
  } catch (error) {
    await worker.dispose()
    throw error
  }
}

/** The Node entry in this process; its log lines go to `lines`. */
export async function startNodeGateway(env: Record<string, string>, lines: string[] = []): Promise<Gateway> {
  return startGateway({ env, port: 0, log: createJsonLogger({ level: 'info', write: (line) => lines.push(line) }) })
}

export interface Upstream {
  readonly server: NativeServer
  /** Its JSON log lines. */
  readonly lines: string[]
}

/** A real native-server on the tiny Grok-2, in this process, on one thread. */
export async function startUpstream(settings: NativeServerOptions = {}): Promise<Upstream> {
  await ensureTinyModel()
  const lines: string[] = []
  const server = await startNativeServer({
    port: 0,
    threads: 1,
    gpu: 'cpu',
    contextSize: 4096,
    parallel: 4,
    logger: createJsonLogger({ level: 'info', write: (line) => lines.push(line) }),
    ...settings,
  })
  return { server, lines }
}

export interface UpstreamProcess {
  readonly url: string
  /** The process id, to read its memory from /proc. */
  readonly pid: number
  /** Its JSON log lines. */
  readonly lines: string[]
  /** SIGKILL: the connection drops mid-whatever, as when a machine dies. */
  kill(): void
  /** SIGTERM, as an orchestrator stops it: it drains, then exits. Resolves once it has exited. */
  stop(): Promise<void>
  close(): Promise<void>
}

export interface SpawnUpstreamOptions {
  /** To bring one back where a stopped one was. */
  readonly port?: number
  /** More flags. */
  readonly args?: readonly string[]
  /** The key it asks of every caller (TANDEM_API_KEY). */
  readonly apiKey?: string
}

/** A native-server in its own process (its CLI), so a test can kill or stop it; `port` to bring one back where a stopped one was. */
export async function spawnUpstream({ port = 0, args = [], apiKey }: SpawnUpstreamOptions = {}): Promise<UpstreamProcess> {
  await ensureTinyModel()
  const lines: string[] = []
  const env: Record<string, string> = apiKey === undefined ? {} : { TANDEM_API_KEY: apiKey }
  const native = await startTandemNative(['--context-size', '4096', '--parallel', '4', ...args], { port, env, stderr: 'inherit', onLine: (line) => lines.push(line) })
  return { url: native.url, pid: native.child.pid!, lines, kill: () => void native.kill(), stop: () => native.stop('SIGTERM', 30_000), close: native.kill }
}

/** A native-server, and the Worker a test's wrangler.toml names in front of it (its vars BASE_URL and API_KEY point at it). */
export async function startWorkerOnUpstream(config: URL): Promise<{ upstream: Upstream; worker: Gateway; close(): Promise<void> }> {
  const upstream = await startUpstream()
  try {
    const worker = await startWorkerd(config, { BASE_URL: `${upstream.server.url}/v1`, API_KEY: 'sk_unused' })
    return { upstream, worker, close: () => closeAll(worker, upstream.server) }
  } catch (error) {
    await upstream.server.close()
    throw error
  }
}

/** Sums a Prometheus counter or gauge over all its label sets. */
export async function metric(upstream: { url: string }, name: string): Promise<number> {
  // The key is ignored by a native-server that asks for none.
  const text = await (await fetch(`${upstream.url}/metrics`, { headers: { authorization: `Bearer ${UPSTREAM_KEY}` } })).text()
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

/** Closes whatever was started, even if some of it failed to start or fails to close. */
export async function closeAll(...things: Array<{ close(): Promise<unknown> } | undefined>): Promise<void> {
  await Promise.allSettled(things.map((thing) => thing?.close()))
}

import { Hono } from 'hono'
import { createJsonLogger, errorResponse, toTandemError, type Logger } from '@tandem/protocol'
import { parseGatewayConfig } from './config/index.ts'
import { createGateway } from './gateway.ts'
import type { RateLimiter } from './limits/index.ts'
import type { UpstreamFetch } from './upstreams/upstream-fetch.ts'

export interface GatewayForEnvOptions<E> {
  /** The runtime's rate-limit store; may throw a TandemError naming a missing binding. */
  readonly limiter: (env: E) => RateLimiter
  /** How to reach upstreams; the runtime's fetch by default. */
  readonly fetch?: UpstreamFetch
  /** Defaults to JSON lines on the console at the configured level. */
  readonly log?: Logger
}

/**
 * The gateway for an environment (wrangler vars/secrets, process.env), built at its
 * first request and kept for the next ones. A bad configuration does not crash the
 * runtime: every request gets a 500 whose message names the setting, and the error is
 * logged once.
 */
/** What the entries need of the app. */
export type GatewayApp = Pick<Hono, 'fetch'>

export function gatewayForEnv<E extends object>({ limiter, fetch, log }: GatewayForEnvOptions<E>): (env: E) => GatewayApp {
  const gateways = new WeakMap<E, GatewayApp>()
  return function gatewayFor(env) {
    let gateway = gateways.get(env)
    if (gateway === undefined) {
      gateway = build(env)
      gateways.set(env, gateway)
    }
    return gateway
  }

  function build(env: E): GatewayApp {
    const config = parseGatewayConfig(env as Record<string, unknown>)
    try {
      if (!config.ok) throw config.error
      return createGateway({ config: config.value, limiter: limiter(env), fetch, log: log ?? createJsonLogger({ level: config.value.logLevel }) })
    } catch (thrown) {
      const error = toTandemError(thrown)
      ;(log ?? createJsonLogger({ level: 'error' })).error('bad configuration', { error: error.message })
      const misconfigured = new Hono()
      misconfigured.all('*', (c) => errorResponse(error, c.res.headers))
      return misconfigured
    }
  }
}

import { Hono } from 'hono'
import { createJsonLogger, errorResponse, redactPath, REQUEST_ID_HEADER, requestIdFor, TandemError, toTandemError, type Logger } from '@tandem/protocol'
import type { GatewayConfig } from './config/index.ts'
import { accessLog } from './http/access-log.ts'
import { browserCors } from './http/browser-cors.ts'
import type { GatewayEnv } from './http/gateway-env.ts'
import { requirePrincipal } from './http/require-principal.ts'
import { ConcurrencyLimiter, type RateLimiter } from './limits/index.ts'
import { chatCompletions } from './routes/chat-completions.ts'
import { healthz } from './routes/healthz.ts'
import { models } from './routes/models.ts'
import { readyz } from './routes/readyz.ts'
import { tokens } from './routes/tokens.ts'
import { HealthChecker } from './upstreams/health-checker.ts'
import { webFetch, type UpstreamFetch } from './upstreams/upstream-fetch.ts'
import { UpstreamPool } from './upstreams/upstream-pool.ts'

export interface GatewayOptions {
  readonly config: GatewayConfig
  /** The runtime's rate-limit store: a Durable Object on Workers, memory in Node. */
  readonly limiter: RateLimiter
  /** How to reach upstreams; the runtime's fetch by default. */
  readonly fetch?: UpstreamFetch
  readonly log?: Logger
}

/**
 * The gateway: one Hono app, served by the Workers entry (`worker.ts`) and the Node
 * entry (`node.ts`). Each request is authenticated, limited and validated before any
 * upstream is touched. Both entries pass an ExecutionContext: background work (health
 * checks, settling limits) goes to `waitUntil`.
 */
export function createGateway({ config, limiter, fetch = webFetch, log = createJsonLogger({ level: config.logLevel }) }: GatewayOptions): Hono<GatewayEnv> {
  const pool = new UpstreamPool(config.upstreams, { ejectMs: config.healthIntervalMs })
  const health = new HealthChecker(pool, {
    fetch,
    intervalMs: config.healthIntervalMs,
    headers: config.upstreamKey === undefined ? {} : { authorization: `Bearer ${config.upstreamKey}` },
    log,
  })
  const parts = { config, limiter, concurrency: new ConcurrencyLimiter(), pool, health, fetch, log }

  const app = new Hono<GatewayEnv>()
  app.use(async function requestId(c, next) {
    c.set('requestId', requestIdFor(c.req.header(REQUEST_ID_HEADER)))
    c.header(REQUEST_ID_HEADER, c.get('requestId'))
    await next()
  })
  app.use(accessLog(log))
  app.use(browserCors(new Set(config.corsOrigins)))
  app.use(async function checkUpstreams(c, next) {
    const checks = health.runIfDue(Date.now())
    if (checks !== undefined) c.executionCtx.waitUntil(checks)
    await next()
  })

  app.get('/healthz', healthz(parts))
  app.get('/readyz', readyz(parts))
  app.use('/v1/*', requirePrincipal(config))
  app.get('/v1/models', models(parts))
  app.post('/v1/chat/completions', chatCompletions(parts))
  app.post('/v1/tokens', tokens(parts))

  app.notFound((c) => errorResponse(new TandemError('not_found', `no route for ${c.req.method} ${redactPath(c.req.path)}`), c.res.headers))
  app.onError(function toEnvelope(thrown, c) {
    const error = toTandemError(thrown)
    c.get('logFields').code = error.code
    if (error.status >= 500 && error.cause !== undefined) {
      const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : 'unknown'
      log.error('request failed', { request_id: c.get('requestId'), code: error.code, cause })
    }
    return errorResponse(error, c.res.headers)
  })
  return app
}

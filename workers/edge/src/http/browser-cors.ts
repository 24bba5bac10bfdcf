import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { TandemError } from '@tandem/protocol'
import type { GatewayEnv } from './gateway-env.ts'

const exposedHeaders = [
  'x-request-id',
  'retry-after',
  'retry-after-ms',
  ...['limit', 'remaining', 'reset'].flatMap((what) => [`x-ratelimit-${what}-requests`, `x-ratelimit-${what}-tokens`]),
]

const options = { allowMethods: ['GET', 'POST', 'OPTIONS'], exposeHeaders: exposedHeaders, maxAge: 600 }

/**
 * CORS. Pages on the allowed origins (`EDGE_CORS_ORIGINS` and every publishable key's) read every
 * answer. A page on any other origin has its preflight granted, since a preflight carries no
 * credential to judge, and then reads one answer only: the 403 `origin_not_allowed` that its known
 * publishable key or token gets, naming the setting that would allow it. Everything else it is sent
 * (401 for an unknown key, 403 for a secret key) carries no CORS header, so the browser hides it; and
 * whatever its credential, nothing it sends reaches an upstream. Servers send no Origin and need none.
 */
export function browserCors(allowedOrigins: ReadonlySet<string>): MiddlewareHandler<GatewayEnv> {
  const allowed = cors({ origin: (origin) => (allowedOrigins.has(origin) ? origin : null), ...options })
  const anyPreflight = cors({ origin: (origin) => origin, ...options })
  return async function browserCors(c, next) {
    const origin = c.req.header('origin')
    if (origin === undefined) return next()
    if (allowedOrigins.has(origin)) return allowed(c, next)
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) return anyPreflight(c, next)
    await next()
    c.header('vary', 'Origin', { append: true })
    if (TandemError.isInstance(c.error) && c.error.code === 'origin_not_allowed') {
      c.header('access-control-allow-origin', origin)
      c.header('access-control-expose-headers', exposedHeaders.join(','))
    }
  }
}

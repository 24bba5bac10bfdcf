import type { MiddlewareHandler } from 'hono'
import { authenticate, CredentialCache } from '../auth/index.ts'
import type { GatewayConfig } from '../config/index.ts'
import type { GatewayEnv } from './gateway-env.ts'

/** Authenticates before anything else happens to a request, upstreams above all. */
export function requirePrincipal(config: GatewayConfig): MiddlewareHandler<GatewayEnv> {
  const cache = new CredentialCache()
  return async function requirePrincipal(c, next) {
    const principal = await authenticate({ authorization: c.req.header('authorization'), origin: c.req.header('origin') }, config, cache)
    c.set('principal', principal)
    c.get('logFields').principal = principal.id
    await next()
  }
}

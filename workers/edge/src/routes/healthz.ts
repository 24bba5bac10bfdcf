import type { Context } from 'hono'
import type { GatewayParts } from './gateway-parts.ts'

/** `GET /healthz`: the gateway is up; how many upstreams it can use right now, without naming them. */
export function healthz({ pool }: Pick<GatewayParts, 'pool'>) {
  return function healthz(c: Context): Response {
    const upstreams = pool.health(Date.now())
    return c.json({ status: upstreams.available > 0 ? 'ok' : 'degraded', upstreams })
  }
}

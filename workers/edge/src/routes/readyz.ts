import type { Context } from 'hono'
import { NOT_READY_RETRY_MS } from '../upstreams/forward-chat.ts'
import type { GatewayParts } from './gateway-parts.ts'

/**
 * `GET /readyz`: 200 when at least one upstream is ready (its own `/readyz` said so at the last
 * check), else 503 with Retry-After. With none ready it checks them first, so a caller waiting for
 * readiness sees it as soon as an upstream has it, not an interval later.
 */
export function readyz({ pool, health }: Pick<GatewayParts, 'pool' | 'health'>) {
  return async function readyz(c: Context): Promise<Response> {
    await health.checkIfNoneReady(Date.now())
    const upstreams = { ready: pool.readyCount(), total: pool.upstreams.length }
    if (upstreams.ready > 0) return c.json({ status: 'ready', upstreams })
    return c.json({ status: 'unavailable', upstreams }, 503, { 'retry-after': String(Math.ceil(NOT_READY_RETRY_MS / 1000)) })
  }
}

import type { MiddlewareHandler } from 'hono'
import { redactPath, type Logger } from '@tandem/protocol'
import type { GatewayEnv } from './gateway-env.ts'

/** One JSON line per request, when its response (or its stream's headers) goes out. */
export function accessLog(log: Logger): MiddlewareHandler<GatewayEnv> {
  return async function accessLog(c, next) {
    const started = performance.now()
    c.set('logFields', {})
    await next()
    const { status } = c.res
    const line = {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: redactPath(c.req.path),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...c.get('logFields'),
    }
    if (status >= 500) log.error('request', line)
    else log.info('request', line)
  }
}

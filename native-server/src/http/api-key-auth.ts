import type { MiddlewareHandler } from 'hono'
import { bearerToken, errorResponse, findByDigest, keyDigest, TandemError } from '@tandem/protocol'

export interface ApiKeyAuthOptions {
  /** The keys a client may send; none: every route is open. */
  apiKey: readonly string[]
  /** `none` leaves /metrics open while the API asks for a key. */
  metricsAuth: 'api-key' | 'none'
}

/** What a probe or a load balancer must reach without a key, as vLLM's and llama.cpp's servers have it. */
const OPEN = new Set(['/healthz', '/readyz'])

/**
 * Every route but /healthz and /readyz asks for `Authorization: Bearer <key>`, 401 otherwise. A
 * presented key is hashed and compared with every configured key's digest, in time that does not
 * depend on where they differ or on which key matched.
 */
export function apiKeyAuth({ apiKey, metricsAuth }: ApiKeyAuthOptions): MiddlewareHandler {
  if (apiKey.length === 0) return (_c, next) => next()
  const digests = Promise.all(apiKey.map(async (key) => ({ sha256: await keyDigest(key) })))
  return async function requireApiKey(c, next) {
    if (OPEN.has(c.req.path) || (c.req.path === '/metrics' && metricsAuth === 'none')) return next()
    const presented = bearerToken(c.req.header('authorization'))
    if (presented === undefined) return refuse('missing API key: send "Authorization: Bearer <key>" with one of this server\'s --api-key keys')
    if (findByDigest(await digests, await keyDigest(presented)) === undefined) return refuse('invalid API key')
    return next()
  }
}

function refuse(message: string): Response {
  const response = errorResponse(new TandemError('unauthorized', message))
  response.headers.set('www-authenticate', 'Bearer')
  return response
}

import { toTandemError } from '../errors.ts'

/** Seconds a client should wait before retrying a refused request (429, 503) when nothing says otherwise. */
export const RETRY_AFTER_SECONDS = 1

/**
 * Any error as an HTTP response with OpenAI's error envelope: the one place errors meet HTTP, for
 * both servers. Anything not already a TandemError is an internal error, its message withheld.
 * `headers` are kept (a request id, rate-limit headers); a retryable 429 or 503 that names no
 * Retry-After gets the default one.
 */
export function errorResponse(error: unknown, headers?: ConstructorParameters<typeof Headers>[0]): Response {
  const tandem = toTandemError(error)
  const out = new Headers(headers)
  out.set('content-type', 'application/json')
  if ((tandem.status === 429 || tandem.status === 503) && tandem.isRetryable && !out.has('retry-after')) out.set('retry-after', String(RETRY_AFTER_SECONDS))
  return new Response(JSON.stringify(tandem.toEnvelope()), { status: tandem.status, headers: out })
}

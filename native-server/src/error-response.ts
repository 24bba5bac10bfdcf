import { toTandemError } from '@tandem/protocol'

/** Seconds a client should wait before retrying a refused request (429, 503). */
export const RETRY_AFTER_SECONDS = 1

/**
 * Any error as an HTTP response with OpenAI's error envelope: the one place errors meet HTTP.
 * Anything not already a TandemError is reported as an internal error, its message withheld.
 */
export function errorResponse(error: unknown): Response {
  const tandem = toTandemError(error)
  const headers = new Headers({ 'content-type': 'application/json' })
  if (tandem.status === 429 || tandem.status === 503) headers.set('retry-after', String(RETRY_AFTER_SECONDS))
  return new Response(JSON.stringify(tandem.toEnvelope()), { status: tandem.status, headers })
}

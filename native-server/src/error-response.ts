import { toTandemError } from '@tandem/protocol'

/** Seconds a client should wait before retrying a refused request (429, 503). */
export const RETRY_AFTER_SECONDS = 1

/**
 * Any error as an HTTP response with OpenAI's error envelope: the one place errors meet HTTP.
 * Anything not already a TandemError is reported as an internal error, its message withheld.
 */
export function errorResponse(error: unknown): Response {
  const tandem = toTandemError(error)
  const envelope = tandem.toEnvelope()
  // OpenAI's name for an unknown model; Tandem's decoders read it back as `not_found`.
  const code = tandem.code === 'not_found' && tandem.param === 'model' ? 'model_not_found' : envelope.error.code
  const headers = new Headers({ 'content-type': 'application/json' })
  if (tandem.status === 429 || tandem.status === 503) headers.set('retry-after', String(RETRY_AFTER_SECONDS))
  return new Response(JSON.stringify({ error: { ...envelope.error, code } }), { status: tandem.status, headers })
}

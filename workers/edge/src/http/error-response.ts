import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { TandemError } from '@tandem/protocol'

/** The OpenAI error envelope, at the HTTP edge only. Headers set on `c` (request id, limits) stay. */
export function errorResponse(c: Context, error: TandemError): Response {
  return c.json(error.toEnvelope(), error.status as ContentfulStatusCode)
}

import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { TandemError } from '@tandem/protocol'

/**
 * 413 with the error envelope, from Content-Length or, for a chunked body, while it
 * arrives. A body with a Content-Length is left untouched here: reading it once, later,
 * lets @hono/node-server take it straight from the socket instead of through a web stream.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => new TandemError('payload_too_large', `the request body is larger than ${maxBytes} bytes`)
  const counting = bodyLimit({
    maxSize: maxBytes,
    onError() {
      throw tooLarge()
    },
  })
  return async function limitBody(c, next) {
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next)
    if (Number(length) > maxBytes) throw tooLarge()
    await next()
  }
}

import type { Context } from 'hono'
import { TandemError } from '@tandem/protocol'

/** The body as JSON; a 400 that quotes nothing of it (it may hold a prompt) when it is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch {
    throw new TandemError('invalid_request', 'request body: not valid JSON')
  }
}

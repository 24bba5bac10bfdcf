import type { Context } from 'hono'
import { readBodyText, TandemError } from '@tandem/protocol'

/** The body as JSON, 413 past `maxBytes`; a 400 that quotes nothing of it (it may hold a prompt) when it is not JSON. */
export async function readJson(c: Context, maxBytes: number): Promise<unknown> {
  const text = await readBodyText(c.req.raw, maxBytes)
  try {
    return JSON.parse(text)
  } catch {
    throw new TandemError('invalid_request', 'request body: not valid JSON')
  }
}

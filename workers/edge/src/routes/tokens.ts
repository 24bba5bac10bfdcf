import type { Context } from 'hono'
import { parseWith, TandemError } from '@tandem/protocol'
import { mintToken, tokenRequestSchema } from '../auth/index.ts'
import type { GatewayEnv } from '../http/gateway-env.ts'
import { readJson } from '../http/read-json.ts'
import { admit } from '../limits/index.ts'
import type { GatewayParts } from './gateway-parts.ts'

/** A token request is a subject, a lifetime and a few model names. */
const TOKEN_REQUEST_MAX_BYTES = 64 * 1024

/**
 * `POST /v1/tokens`: a site's backend trades its secret key for a short-lived token
 * for one of its users (the subject), which the user's browser then sends.
 */
export function tokens({ config, limiter }: Pick<GatewayParts, 'config' | 'limiter'>) {
  return async function tokens(c: Context<GatewayEnv>): Promise<Response> {
    const principal = c.get('principal')
    if (principal.secretKey === undefined) throw new TandemError('forbidden', 'only a secret key can mint tokens')
    const request = parseWith(tokenRequestSchema, await readJson(c, TOKEN_REQUEST_MAX_BYTES), 'request body')
    if (!request.ok) throw request.error
    await admit(c, limiter, principal, { requests: 1, tokens: 0 })
    const minted = await mintToken(principal.secretKey, request.value, config)
    c.get('logFields').subject = request.value.subject
    return c.json(minted, 200, { 'cache-control': 'no-store' })
  }
}

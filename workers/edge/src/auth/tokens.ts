import { sign, verify } from 'hono/jwt'
import { z } from 'zod'
import { parseWith, TandemError } from '@tandem/protocol'
import type { GatewayConfig, SecretKeyConfig } from '../config/index.ts'
import type { Principal } from './principal.ts'

/** The longest a token lives: a leaked browser token is worth an hour at most. */
export const MAX_TOKEN_SECONDS = 3600
const DEFAULT_TOKEN_SECONDS = 900

/** Three unpadded base64url parts. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/

/** `POST /v1/tokens`. */
export const tokenRequestSchema = z.object({
  subject: z.string().min(1).max(256),
  models: z.array(z.string().min(1)).min(1).optional(),
  expires_in: z.number().int().min(1).max(MAX_TOKEN_SECONDS).optional(),
})

export type TokenRequest = z.infer<typeof tokenRequestSchema>

export interface MintedToken {
  object: 'token'
  token: string
  subject: string
  /** Null when the token may use every model its key may. */
  models: string[] | null
  /** Unix seconds. */
  expires_at: number
}

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  /** The id of the secret key that minted it: removing the key revokes its tokens. */
  key: z.string(),
  models: z.array(z.string()).optional(),
  iat: z.number(),
  exp: z.number(),
})

export async function mintToken(
  key: SecretKeyConfig,
  request: TokenRequest,
  config: Pick<GatewayConfig, 'models' | 'tokenSecret'>,
  nowMs = Date.now(),
): Promise<MintedToken> {
  if (config.tokenSecret === undefined) throw new TandemError('not_found', 'tokens are not enabled on this gateway (EDGE_TOKEN_SECRET is not set)')
  request.models?.forEach((model, index) => {
    const param = `models[${index}]`
    if (!config.models.includes(model)) throw new TandemError('not_found', `${param}: no model "${model}" here`, { param })
    if (key.models !== undefined && !key.models.includes(model)) {
      throw new TandemError('forbidden', `${param}: this key may not use "${model}"`, { param })
    }
  })
  const iat = Math.floor(nowMs / 1000)
  const exp = iat + (request.expires_in ?? DEFAULT_TOKEN_SECONDS)
  const claims = { sub: request.subject, key: key.id, iat, exp, ...(request.models && { models: request.models }) }
  const token = await sign(claims, config.tokenSecret, 'HS256')
  return { object: 'token', token, subject: request.subject, models: request.models ?? null, expires_at: exp }
}

function intersect(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return a.filter((model) => b.includes(model))
}

/** A token minted by `mintToken`, as the principal it stands for; 401 for anything else. */
export async function verifyToken(token: string, config: Pick<GatewayConfig, 'secretKeys' | 'tokenSecret'>): Promise<Principal> {
  if (config.tokenSecret === undefined) throw new TandemError('unauthorized', 'invalid credential')
  // One encoding only, the one we mint: unpadded base64url (RFC 7515). hono's decoder would also
  // take `=` padding, and a token with two spellings is two tokens to every cache and log.
  if (!COMPACT_JWS.test(token)) throw new TandemError('unauthorized', 'invalid token')
  let payload: unknown
  try {
    payload = await verify(token, config.tokenSecret, 'HS256')
  } catch (error) {
    // hono's messages quote the token; only the kind of failure goes further.
    const expired = error instanceof Error && error.name === 'JwtTokenExpired'
    throw new TandemError('unauthorized', expired ? 'the token has expired' : 'invalid token')
  }
  const claims = parseWith(claimsSchema, payload, 'token', 'unauthorized')
  if (!claims.ok) throw new TandemError('unauthorized', 'invalid token')
  const { sub, key: keyId, models, iat, exp } = claims.value
  if (exp - iat > MAX_TOKEN_SECONDS) throw new TandemError('unauthorized', 'invalid token: it lives longer than an hour')
  const key = config.secretKeys.find((candidate) => candidate.id === keyId)
  if (key === undefined) throw new TandemError('unauthorized', 'invalid token: its key has been revoked')
  return {
    kind: 'token',
    id: `${key.id}/${sub}`,
    limitKey: `token:${key.id}:${sub}`,
    limits: key.tokenLimits,
    mintingKey: { limitKey: `key:${key.id}`, limits: key.limits },
    models: intersect(key.models, models),
    expiresAt: exp,
  }
}

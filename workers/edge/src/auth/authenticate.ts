import { bearerToken, findByDigest, keyDigest, TandemError } from '@tandem/protocol'
import type { GatewayConfig } from '../config/index.ts'
import type { CredentialCache } from './credential-cache.ts'
import type { Principal } from './principal.ts'
import { verifyToken } from './tokens.ts'

export interface Credentials {
  /** The `Authorization` header. */
  readonly authorization: string | undefined
  /** The `Origin` header: browsers always send it on cross-origin requests. */
  readonly origin: string | undefined
}

type AuthConfig = Pick<GatewayConfig, 'secretKeys' | 'publishableKeys' | 'tokenSecret' | 'corsOrigins'>

/** How a site allows an origin, in the message a refused page can read. */
const DEV_STACK_HINT = 'with the dev stack: npm start -- --allow-origin'

function bearer(authorization: string | undefined): string {
  const credential = bearerToken(authorization)
  if (credential === undefined) throw new TandemError('unauthorized', 'missing credential: send "Authorization: Bearer" with a key or a token')
  return credential
}

async function identify(credential: string, config: AuthConfig): Promise<Principal> {
  if (credential.startsWith('sk_')) {
    const key = findByDigest(config.secretKeys, await keyDigest(credential))
    if (key === undefined) throw new TandemError('unauthorized', 'invalid API key')
    return { kind: 'secret', id: key.id, limitKey: `key:${key.id}`, limits: key.limits, models: key.models, secretKey: key }
  }
  if (credential.startsWith('pk_')) {
    const key = findByDigest(config.publishableKeys, await keyDigest(credential))
    if (key === undefined) throw new TandemError('unauthorized', 'invalid API key')
    return { kind: 'publishable', id: key.id, limitKey: `key:${key.id}`, limits: key.limits, models: key.models }
  }
  throw new TandemError('unauthorized', 'invalid credential: expected a secret key (sk_…), a publishable key (pk_…) or a token')
}

/**
 * Where a known credential may be used from. A page whose origin a publishable key does not list, or
 * a page holding a token on an origin the gateway does not allow, is told which setting allows it
 * (`origin_not_allowed`, the one refusal the gateway lets such a page read: see `browser-cors.ts`).
 */
function checkOrigin(principal: Principal, origin: string | undefined, config: AuthConfig): void {
  // A secret key in a browser is a leaked key: refuse it before it is used there.
  if (principal.kind === 'secret' && origin !== undefined) {
    throw new TandemError('forbidden', 'secret keys are for servers: a web page must use a publishable key or a token')
  }
  if (principal.kind === 'publishable') {
    if (origin === undefined) throw new TandemError('forbidden', 'publishable keys are for web pages: this request has no Origin; a server must use a secret key')
    const index = config.publishableKeys.findIndex((candidate) => candidate.id === principal.id)
    if (config.publishableKeys[index]?.origins.includes(origin) !== true) {
      throw new TandemError(
        'origin_not_allowed',
        `the origin ${origin} is not allowed for the publishable key "${principal.id}": add it to that key's "origins" (EDGE_PUBLISHABLE_KEYS[${index}].origins; ${DEV_STACK_HINT} ${origin}, or TANDEM_ALLOWED_ORIGINS)`,
      )
    }
  }
  if (principal.kind === 'token' && origin !== undefined && !config.corsOrigins.includes(origin)) {
    throw new TandemError(
      'origin_not_allowed',
      `the origin ${origin} is not allowed to use tokens here: add it to EDGE_CORS_ORIGINS (${DEV_STACK_HINT} ${origin}, or TANDEM_ALLOWED_ORIGINS)`,
    )
  }
}

/**
 * Who is calling: a secret key (servers), a publishable key (web pages, from its origins
 * only) or a token minted by a secret key. Throws 401 for a missing, unknown or expired
 * credential and 403 for a known one used from the wrong place. With a cache, valid
 * credentials are checked once (the origin every time).
 */
export async function authenticate({ authorization, origin }: Credentials, config: AuthConfig, cache?: CredentialCache): Promise<Principal> {
  const credential = bearer(authorization)
  const isToken = credential.split('.').length === 3
  let principal = isToken ? cache?.token(credential, Date.now()) : cache?.key(credential)
  if (principal === undefined) {
    principal = isToken ? await verifyToken(credential, config) : await identify(credential, config)
    if (isToken) cache?.rememberToken(credential, principal)
    else cache?.rememberKey(credential, principal)
  }
  checkOrigin(principal, origin, config)
  return principal
}

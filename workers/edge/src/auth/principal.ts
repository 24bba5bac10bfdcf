import type { Limits, SecretKeyConfig } from '../config/index.ts'

export type PrincipalKind = 'secret' | 'publishable' | 'token'

/** Who is calling, once a credential has been checked. Holds no secret. */
export interface Principal {
  readonly kind: PrincipalKind
  /** For logs: a key's id, or `keyId/subject` for a token. */
  readonly id: string
  /** The rate-limit bucket: per key, or per subject of a key's tokens. */
  readonly limitKey: string
  readonly limits: Limits
  /** Only for `token`: the key that minted it, whose limits cap all its subjects together. */
  readonly mintingKey?: { readonly limitKey: string; readonly limits: Limits }
  /** The models it may use; undefined for every configured model. */
  readonly models: readonly string[] | undefined
  /** The secret key itself, for minting tokens; only for `secret`. */
  readonly secretKey?: SecretKeyConfig
  /** Unix seconds; only for `token`. */
  readonly expiresAt?: number
}

/** Every window a request of this principal must fit: its own, then its minting key's. */
export function limitWindows(principal: Principal): ReadonlyArray<{ readonly limitKey: string; readonly limits: Limits }> {
  return principal.mintingKey === undefined ? [principal] : [principal, principal.mintingKey]
}

export function mayUseModel(principal: Principal, model: string): boolean {
  return principal.models === undefined || principal.models.includes(model)
}

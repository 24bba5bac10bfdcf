import type { Principal } from './principal.ts'

/**
 * Remembers credentials that were valid, so a client's every request does not pay
 * for hashing its key or checking its token's signature again (in Node both hop to a
 * thread pool). Only successes are kept, and at most `maxEntries`: guessing cannot
 * fill it with junk. A token is forgotten when it expires.
 */
export class CredentialCache {
  readonly #keys = new Map<string, Principal>()
  readonly #tokens = new Map<string, Principal>()
  readonly #maxEntries: number

  constructor({ maxEntries = 1024 }: { maxEntries?: number } = {}) {
    this.#maxEntries = maxEntries
  }

  key(credential: string): Principal | undefined {
    return this.#keys.get(credential)
  }

  rememberKey(credential: string, principal: Principal): void {
    this.#remember(this.#keys, credential, principal)
  }

  token(token: string, nowMs: number): Principal | undefined {
    const principal = this.#tokens.get(token)
    if (principal === undefined) return undefined
    if (principal.expiresAt !== undefined && principal.expiresAt * 1000 <= nowMs) {
      this.#tokens.delete(token)
      return undefined
    }
    return principal
  }

  rememberToken(token: string, principal: Principal): void {
    this.#remember(this.#tokens, token, principal)
  }

  #remember(map: Map<string, Principal>, credential: string, principal: Principal): void {
    if (map.size >= this.#maxEntries) map.clear()
    map.set(credential, principal)
  }
}

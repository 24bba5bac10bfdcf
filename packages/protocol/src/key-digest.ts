const encoder = new TextEncoder()

/** The SHA-256 of a key as it is stored in the configuration. */
export async function keyDigest(key: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(key)))
}

/**
 * Compares two byte strings in time that depends only on their lengths, so a caller
 * cannot learn a stored digest byte by byte from response times.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!
  return difference === 0
}

/** The entry whose digest matches, after comparing against every entry: no early exit. */
export function findByDigest<T extends { readonly sha256: Uint8Array }>(entries: readonly T[], digest: Uint8Array): T | undefined {
  let found: T | undefined
  for (const entry of entries) {
    if (timingSafeEqual(entry.sha256, digest) && found === undefined) found = entry
  }
  return found
}

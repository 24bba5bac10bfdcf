// The development credentials `npm start` gives its gateway: a secret key for scripts (TANDEM_DEV_KEY
// when set, so they can use the running stack), a publishable key for the demo's origins, and the key
// the gateway sends native-server.
import { createHash, randomBytes } from 'node:crypto'

export interface DevKeys {
  secret: string
  publishable: string
  /** native-server's key (its TANDEM_API_KEY), which only the gateway has. */
  upstream: string
  /** The gateway's EDGE_SECRET_KEYS, EDGE_PUBLISHABLE_KEYS and EDGE_UPSTREAM_KEY for them. */
  settings: { EDGE_SECRET_KEYS: string; EDGE_PUBLISHABLE_KEYS: string; EDGE_UPSTREAM_KEY: string }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export function devKeys(origins: readonly string[], fromEnv = process.env.TANDEM_DEV_KEY): DevKeys {
  const secret = fromEnv?.trim() || `sk_dev_${randomBytes(18).toString('base64url')}`
  // Publishable keys are public by design; a fixed one lets a reloaded demo keep working.
  const publishable = 'pk_dev_demo'
  const generous = { rpm: 10_000, tpm: 10_000_000 }
  // New each start: nothing but this start's gateway can use native-server.
  const upstream = `tandem_upstream_${randomBytes(24).toString('base64url')}`
  return {
    secret,
    publishable,
    upstream,
    settings: {
      EDGE_UPSTREAM_KEY: upstream,
      EDGE_SECRET_KEYS: JSON.stringify([{ id: 'dev', sha256: sha256(secret), limits: generous }]),
      EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'demo', sha256: sha256(publishable), origins, limits: generous }]),
    },
  }
}

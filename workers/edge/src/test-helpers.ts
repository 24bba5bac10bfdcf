// Shared by the unit tests beside the modules: real keys, real digests, a parsed configuration.
import type { GatewayConfig } from './config/index.ts'
import { parseGatewayConfig } from './config/index.ts'
import { keyDigest } from './auth/index.ts'

export const testKeys = {
  secret: 'sk_test_secret',
  restricted: 'sk_test_restricted',
  publishable: 'pk_test_web',
} as const

export const TOKEN_SECRET = 'a-token-secret-of-at-least-32-characters'
export const WEB_ORIGIN = 'https://app.example'

export async function hexDigest(key: string): Promise<string> {
  return Array.from(await keyDigest(key), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

export async function testEnv(overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return {
    EDGE_UPSTREAMS: 'http://127.0.0.1:9',
    EDGE_MODELS: 'grok-2-tiny, grok-2',
    EDGE_SECRET_KEYS: JSON.stringify([
      { id: 'server', sha256: await hexDigest(testKeys.secret), token_limits: { rpm: 5 } },
      { id: 'restricted', sha256: await hexDigest(testKeys.restricted), models: ['grok-2-tiny'], limits: { rpm: 2, tpm: 1000 } },
    ]),
    EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'web', sha256: await hexDigest(testKeys.publishable), origins: [WEB_ORIGIN] }]),
    EDGE_TOKEN_SECRET: TOKEN_SECRET,
    EDGE_LOG_LEVEL: 'off',
    ...overrides,
  }
}

export async function testConfig(overrides: Record<string, unknown> = {}): Promise<GatewayConfig> {
  const parsed = parseGatewayConfig(await testEnv(overrides))
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

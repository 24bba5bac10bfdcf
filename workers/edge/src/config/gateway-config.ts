import { parseWith, TandemError, type ParseResult } from '@tandem/protocol'
import { envSchema, type ParsedEnv } from './config-schema.ts'

export interface Limits {
  /** Requests per minute. */
  readonly rpm: number
  /** Prompt plus completion tokens per minute. */
  readonly tpm: number
  /** Chat completions at once (a stream counts until its last byte), in this gateway instance. */
  readonly concurrent: number
}

/** What a sliding window counts: the per-minute limits. */
export type RateLimits = Pick<Limits, 'rpm' | 'tpm'>

export interface UpstreamConfig {
  /** For logs; defaults to the URL's host. */
  readonly name: string
  /** Without a trailing slash. */
  readonly url: string
  readonly weight: number
}

interface KeyConfig {
  readonly id: string
  readonly sha256: Uint8Array
  /** The models this key may use; undefined for every configured model. */
  readonly models: readonly string[] | undefined
  readonly limits: Limits
}

export interface SecretKeyConfig extends KeyConfig {
  /** The limits of each subject of the tokens this key mints. */
  readonly tokenLimits: Limits
}

export interface PublishableKeyConfig extends KeyConfig {
  readonly origins: readonly string[]
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

export interface GatewayConfig {
  readonly upstreams: readonly UpstreamConfig[]
  readonly models: readonly string[]
  readonly secretKeys: readonly SecretKeyConfig[]
  readonly publishableKeys: readonly PublishableKeyConfig[]
  readonly tokenSecret: string | undefined
  /** EDGE_CORS_ORIGINS and every publishable key's origins. */
  readonly corsOrigins: readonly string[]
  readonly limits: Limits
  readonly maxBodyBytes: number
  /** From sending a request upstream to its first byte of response. */
  readonly upstreamTimeoutMs: number
  readonly healthIntervalMs: number
  /** The longest an upstream's Retry-After is waited for before giving up on it. */
  readonly maxRetryWaitMs: number
  readonly upstreamKey: string | undefined
  readonly logLevel: LogLevel
}

export const defaultLimits: Limits = { rpm: 60, tpm: 100_000, concurrent: 8 }

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

function toConfig(env: ParsedEnv): GatewayConfig {
  const limits = { ...defaultLimits, ...env.EDGE_LIMITS }
  const publishableKeys = (env.EDGE_PUBLISHABLE_KEYS ?? []).map((key) => ({
    id: key.id,
    sha256: hexBytes(key.sha256),
    models: key.models,
    limits: { ...limits, ...key.limits },
    origins: key.origins,
  }))
  return {
    upstreams: env.EDGE_UPSTREAMS.map(({ url, weight, name }) => ({
      url: url.replace(/\/+$/, ''),
      weight,
      name: name ?? new URL(url).host,
    })),
    models: env.EDGE_MODELS,
    secretKeys: (env.EDGE_SECRET_KEYS ?? []).map((key) => ({
      id: key.id,
      sha256: hexBytes(key.sha256),
      models: key.models,
      limits: { ...limits, ...key.limits },
      tokenLimits: { ...limits, ...key.token_limits },
    })),
    publishableKeys,
    tokenSecret: env.EDGE_TOKEN_SECRET,
    corsOrigins: [...new Set([...(env.EDGE_CORS_ORIGINS ?? []), ...publishableKeys.flatMap((key) => key.origins)])],
    limits,
    maxBodyBytes: env.EDGE_MAX_BODY_BYTES ?? 1024 * 1024,
    upstreamTimeoutMs: env.EDGE_UPSTREAM_TIMEOUT_MS ?? 60_000,
    healthIntervalMs: env.EDGE_HEALTH_INTERVAL_MS ?? 5_000,
    maxRetryWaitMs: env.EDGE_MAX_RETRY_WAIT_MS ?? 2_000,
    upstreamKey: env.EDGE_UPSTREAM_KEY,
    logLevel: env.EDGE_LOG_LEVEL ?? 'info',
  }
}

/**
 * The gateway's configuration from wrangler vars/secrets or process.env. A problem is an
 * `internal` error whose message names the setting (never its value): the operator's
 * mistake, reported at the first request.
 */
export function parseGatewayConfig(env: Record<string, unknown>): ParseResult<GatewayConfig> {
  const parsed = parseWith(envSchema, env, 'configuration', 'internal')
  if (!parsed.ok) {
    return { ok: false, error: new TandemError('internal', `gateway configuration: ${parsed.error.message}`) }
  }
  return { ok: true, value: toConfig(parsed.value) }
}

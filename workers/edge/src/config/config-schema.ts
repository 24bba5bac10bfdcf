import { z } from 'zod'
import { httpUrlSchema, integerSetting, jsonSetting, listSetting, optional, originSchema } from './setting-values.ts'

const keyId = z.string().regex(/^[\w.-]{1,64}$/, 'expected 1–64 letters, digits, "_", "." or "-"')
const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected the SHA-256 of the key as 64 hex digits')
const modelId = z.string().min(1).max(256)

// The window keeps an entry per admitted request: rpm bounds its memory.
const limitsSchema = z.object({
  rpm: z.number().int().positive().max(100_000).optional(),
  tpm: z.number().int().positive().max(1e9).optional(),
  concurrent: z.number().int().positive().max(100_000).optional(),
})

const upstreamSchema = z.union(
  [
    httpUrlSchema.transform((url) => ({ url, weight: 1, name: undefined })),
    z.object({ url: httpUrlSchema, weight: z.number().positive().max(1000).default(1), name: keyId.optional() }),
  ],
  { error: 'expected a URL or { url, weight?, name? }' },
)

const secretKeySchema = z.object({
  id: keyId,
  sha256: sha256Hex,
  models: z.array(modelId).min(1).optional(),
  limits: limitsSchema.optional(),
  token_limits: limitsSchema.optional(),
})

const publishableKeySchema = z.object({
  id: keyId,
  sha256: sha256Hex,
  origins: z.array(originSchema).min(1),
  models: z.array(modelId).min(1).optional(),
  limits: limitsSchema.optional(),
})

/**
 * Every setting, by the name it has in wrangler vars/secrets and in process.env, so a
 * problem's path starts with the setting's name: `EDGE_UPSTREAMS[1].url: …`.
 */
export const envSchema = z
  .object({
    EDGE_UPSTREAMS: listSetting(upstreamSchema, { emptyMessage: 'expected at least one upstream' }),
    EDGE_MODELS: listSetting(modelId, { emptyMessage: 'expected at least one model' }),
    EDGE_SECRET_KEYS: optional(jsonSetting(z.array(secretKeySchema))),
    EDGE_PUBLISHABLE_KEYS: optional(jsonSetting(z.array(publishableKeySchema))),
    EDGE_TOKEN_SECRET: optional(z.string().min(32, 'expected at least 32 characters')),
    EDGE_CORS_ORIGINS: optional(listSetting(originSchema)),
    EDGE_LIMITS: optional(jsonSetting(limitsSchema)),
    EDGE_MAX_BODY_BYTES: optional(integerSetting(1024, 64 * 1024 * 1024)),
    EDGE_UPSTREAM_TIMEOUT_MS: optional(integerSetting(100, 15 * 60_000)),
    EDGE_HEALTH_INTERVAL_MS: optional(integerSetting(100, 10 * 60_000)),
    EDGE_MAX_RETRY_WAIT_MS: optional(integerSetting(0, 60_000)),
    EDGE_UPSTREAM_KEY: optional(z.string().min(1)),
    EDGE_LOG_LEVEL: optional(z.enum(['debug', 'info', 'warn', 'error', 'off'])),
  })
  .superRefine((env, ctx) => {
    const models = new Set(env.EDGE_MODELS)
    const ids = new Set<string>()
    const urls = new Set<string>()
    env.EDGE_UPSTREAMS.forEach((upstream, index) => {
      const url = upstream.url.replace(/\/+$/, '')
      if (urls.has(url)) ctx.addIssue({ code: 'custom', path: ['EDGE_UPSTREAMS', index], message: 'listed twice' })
      urls.add(url)
    })
    for (const setting of ['EDGE_SECRET_KEYS', 'EDGE_PUBLISHABLE_KEYS'] as const) {
      env[setting]?.forEach((key, index) => {
        if (ids.has(key.id)) ctx.addIssue({ code: 'custom', path: [setting, index, 'id'], message: `"${key.id}" is used by another key` })
        ids.add(key.id)
        key.models?.forEach((model, m) => {
          if (!models.has(model)) ctx.addIssue({ code: 'custom', path: [setting, index, 'models', m], message: 'not one of EDGE_MODELS' })
        })
      })
    }
  })

export type GatewayEnvInput = z.input<typeof envSchema>
export type ParsedEnv = z.output<typeof envSchema>

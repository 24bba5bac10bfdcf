import { z } from 'zod'

/**
 * Settings arrive as wrangler vars (strings, or TOML tables and arrays as JSON values),
 * secrets and process.env (strings only). These read a string into the value it spells,
 * so one schema serves every source.
 */

function parseJson(text: string, ctx: z.core.$RefinementCtx): unknown {
  try {
    return JSON.parse(text)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' })
    return z.NEVER
  }
}

/** JSON (`[…]` or `{…}`), or for lists also plain comma-separated text: `a, b`. */
export function listSetting<T extends z.ZodType>(item: T, { emptyMessage }: { emptyMessage?: string } = {}) {
  const list = z.array(item)
  return z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value
    const text = value.trim()
    if (text.startsWith('[')) return parseJson(text, ctx)
    return text === '' ? [] : text.split(',').map((part) => part.trim())
  }, emptyMessage === undefined ? list : list.min(1, emptyMessage))
}

/** JSON text or an already parsed value (a TOML table in wrangler vars). */
export function jsonSetting<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => (typeof value === 'string' ? parseJson(value.trim(), ctx) : value), schema)
}

/** A whole number, written as a number or as digits. */
export function integerSetting(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number().int().min(min).max(max),
  )
}

/** Absent and empty mean the same: env files and dashboards write empty strings for "unset". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional())
}

export const originSchema = z.string().refine((value) => {
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}, 'expected an origin: scheme, host and port only, like https://example.com')

export const httpUrlSchema = z.string().refine((value) => {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === ''
  } catch {
    return false
  }
}, 'expected an http(s) URL without query or fragment')

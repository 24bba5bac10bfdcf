// `npm start`'s flags and environment, parsed once: which other origins may use the development
// publishable key, and the stack's ports.
import { parseArgs } from 'node:util'
import { z } from 'zod'

export interface StartOptions {
  readonly help: boolean
  /** Origins besides the demo's that the development publishable key (and the gateway's CORS) allows. */
  readonly allowedOrigins: readonly string[]
  readonly ports: { readonly demo: number; readonly gateway: number; readonly native: number }
}

export const START_USAGE = `npm start [-- <flags>]: the whole stack on loopback until Ctrl-C (or SIGTERM)

  --allow-origin <origin>   let a page on <origin> (like http://127.0.0.1:9000) use the development
                            publishable key; repeatable. TANDEM_ALLOWED_ORIGINS: the same, comma-separated
  --demo-port <port>        the demo, /models/ and /embed/ (default 8080)
  --gateway-port <port>     the gateway (default 8787)
  --native-port <port>      native-server (default 8081)
  --help                    this text`

/** An http(s) origin, written as the browser sends it: `http://A.com:80/` is `http://a.com`. */
const originSchema = z.string().transform((value, ctx) => {
  const url = URL.parse(value)
  const plain = url && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.pathname === '/' && !/[?#]/.test(value)
  if (!plain) {
    ctx.addIssue({ code: 'custom', message: 'expected an http(s) origin: scheme, host and port only, like http://127.0.0.1:9000' })
    return z.NEVER
  }
  return url.origin
})

const portSchema = z.string().regex(/^\d+$/, 'expected a port number').transform(Number).pipe(z.number().int().min(1, 'expected a port from 1 to 65535').max(65535, 'expected a port from 1 to 65535'))

const FLAGS = {
  'allow-origin': { type: 'string', multiple: true },
  'demo-port': { type: 'string' },
  'gateway-port': { type: 'string' },
  'native-port': { type: 'string' },
  help: { type: 'boolean' },
} as const

/** The options, or one line saying which flag or variable is wrong and why. */
export function parseStartOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { ok: true; options: StartOptions } | { ok: false; message: string } {
  let values
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message.split('\n')[0] : String(error)} (npm start -- --help lists the flags)` }
  }
  const fromEnv = (env.TANDEM_ALLOWED_ORIGINS ?? '').split(',').map((value) => value.trim()).filter(Boolean)
  const given = [...(values['allow-origin'] ?? []).map((value) => ({ value, name: '--allow-origin' })), ...fromEnv.map((value) => ({ value, name: 'TANDEM_ALLOWED_ORIGINS' }))]
  const allowedOrigins: string[] = []
  for (const { value, name } of given) {
    const parsed = originSchema.safeParse(value)
    if (!parsed.success) return { ok: false, message: problem(name, value, parsed.error) }
    if (!allowedOrigins.includes(parsed.data)) allowedOrigins.push(parsed.data)
  }
  const ports = { demo: 8080, gateway: 8787, native: 8081 }
  for (const part of ['demo', 'gateway', 'native'] as const) {
    const value = values[`${part}-port`]
    if (value === undefined) continue
    const parsed = portSchema.safeParse(value)
    if (!parsed.success) return { ok: false, message: problem(`--${part}-port`, value, parsed.error) }
    ports[part] = parsed.data
  }
  if (new Set(Object.values(ports)).size < 3) return { ok: false, message: `--demo-port, --gateway-port and --native-port must differ (${ports.demo}, ${ports.gateway}, ${ports.native})` }
  return { ok: true, options: { help: values.help ?? false, allowedOrigins, ports } }
}

function problem(name: string, value: string, error: z.ZodError): string {
  return `${name} ${JSON.stringify(value)}: ${error.issues[0]?.message ?? 'invalid'}`
}

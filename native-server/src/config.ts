import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { TandemError } from '@tandem/protocol'
import { isLoopback } from './loopback.ts'

/** Every setting: its flag, its environment variable, and what it does. The one list help, parsing and messages read. */
const SETTINGS = {
  host: { flag: 'host', help: 'address to listen on', arg: 'ADDR' },
  port: { flag: 'port', help: 'port to listen on; 0 picks a free one', arg: 'N' },
  apiKey: { flag: 'api-key', help: 'a key clients must send as "Authorization: Bearer KEY", repeatable (the environment: comma-separated); every route but /healthz and /readyz asks for one. Needed to listen beyond loopback', arg: 'KEY', multiple: true },
  metricsAuth: { flag: 'metrics-auth', help: 'api-key: /metrics asks for a key like the API (the default when keys are set); none: /metrics is open, for a scraper on a private network', arg: 'MODE' },
  insecureNoAuth: { flag: 'insecure-no-auth', help: 'listen beyond loopback without --api-key: anyone who reaches the port can use the model', arg: undefined },
  engine: { flag: 'engine', help: 'llama-cpp (this process) or upstream (SGLang, vLLM, …)', arg: 'NAME' },
  model: { flag: 'model', help: 'NAME=SOURCE or SOURCE, repeatable: a GGUF path (llama-cpp; a split model: its first shard) or the upstream\'s model id (upstream). Default: the tiny Grok-2 as grok-2-tiny (llama-cpp), the upstream\'s own ids (upstream)', arg: 'SPEC', multiple: true },
  threads: { flag: 'threads', help: 'CPU threads for llama.cpp (default: all cores but one, which serves HTTP)', arg: 'N' },
  contextSize: { flag: 'context-size', help: 'tokens per sequence, prompt and completion together (capped at the model\'s)', arg: 'N' },
  batchSize: { flag: 'batch-size', help: 'tokens llama.cpp evaluates in one decode', arg: 'N' },
  parallel: { flag: 'parallel', help: 'requests generating at once, per model (llama-cpp: sequences batched together; upstream: requests in flight)', arg: 'N' },
  queueDepth: { flag: 'queue-depth', help: 'requests that may wait for a slot; more get 429', arg: 'N' },
  queueTimeoutMs: { flag: 'queue-timeout-ms', help: 'longest wait for a slot before 429; 0: as long as the client waits', arg: 'MS' },
  maxBodyBytes: { flag: 'max-body-bytes', help: 'largest request body; larger gets 413', arg: 'N' },
  maxTokens: { flag: 'max-tokens', help: 'most tokens a request may generate, and the default when it names none (default: the rest of the context)', arg: 'N' },
  gpu: { flag: 'gpu', help: 'auto, cuda, vulkan, metal or cpu; CUDA_VISIBLE_DEVICES picks the GPUs, and layers are split across all of them', arg: 'KIND' },
  gpuLayers: { flag: 'gpu-layers', help: 'layers to offload: auto, max or a number', arg: 'N' },
  upstreamUrl: { flag: 'upstream-url', help: 'base URL of the OpenAI-compatible engine to front (…/v1 is added); balance several with the gateway', arg: 'URL', multiple: true },
  upstreamCommand: { flag: 'upstream-command', help: 'launch and supervise this engine command (run by sh); it must listen at --upstream-url', arg: 'CMD' },
  upstreamReadyTimeoutMs: { flag: 'upstream-ready-timeout-ms', help: 'how long the upstream may take to come up (loading full Grok-2 takes minutes)', arg: 'MS' },
  streamIntervalMs: { flag: 'stream-interval-ms', help: 'llama-cpp: a stream sends at most one chunk per this many ms, the tokens between joined (the first token and the end go at once); 0: a chunk per token', arg: 'MS' },
  heartbeatMs: { flag: 'heartbeat-ms', help: 'send an SSE comment after this much silence, so proxies keep streams open; 0: never', arg: 'MS' },
  shutdownGraceMs: { flag: 'shutdown-grace-ms', help: 'on SIGTERM, how long running requests may finish before their streams are cut', arg: 'MS' },
  logLevel: { flag: 'log-level', help: 'debug, info, warn or error', arg: 'LEVEL' },
  logPrompts: { flag: 'log-prompts', help: 'include request messages in the logs (off: logs carry no prompt text)', arg: undefined },
} as const satisfies Record<string, { flag: string; help: string; arg: string | undefined; multiple?: true }>

type Setting = keyof typeof SETTINGS

const envName = (key: Setting) => `TANDEM_${SETTINGS[key].flag.toUpperCase().replaceAll('-', '_')}`

const whole = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` })

const flagBoolean = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')], {
  error: 'expected true or false',
})

/** A repeatable flag; from the environment, comma-separated. */
const list = z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value), z.array(z.unknown()))

/** `NAME=SOURCE`, or `SOURCE` named after its file: `models/grok-2-q2_k-00001-of-00004.gguf` serves as `grok-2-q2_k`. */
function modelSpec(spec: string): { name: string; source: string } {
  const named = /^([\w.:-]+)=(.+)$/.exec(spec)
  if (named) return { name: named[1]!, source: named[2]! }
  return { name: basename(spec).replace(/\.gguf$/i, '').replace(/-\d{5}-of-\d{5}$/, ''), source: spec }
}

const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:30000' }).transform((value) => value.replace(/\/+$/, ''))

export const serverConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: whole(0, 65535).default(8081),
    apiKey: list.pipe(z.array(z.string().regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces'))).default([]),
    metricsAuth: z.enum(['api-key', 'none'], { error: 'expected api-key or none' }).default('api-key'),
    insecureNoAuth: flagBoolean.default(false),
    engine: z.enum(['llama-cpp', 'upstream'], { error: 'expected llama-cpp or upstream' }).default('llama-cpp'),
    model: list.pipe(z.array(z.union([z.string().transform(modelSpec), z.object({ name: z.string().min(1), source: z.string().min(1) })]))).default([]),
    // llama.cpp's threads spin while they wait for each other: one more than the free cores costs far more than a core.
    threads: whole(1, 1024).default(Math.max(1, availableParallelism() - 1)),
    contextSize: whole(64).default(4096),
    batchSize: whole(1).default(512),
    parallel: whole(1, 1024).default(4),
    queueDepth: whole(0).default(64),
    queueTimeoutMs: whole(0).default(60_000),
    maxBodyBytes: whole(1024).default(4 * 1024 * 1024),
    maxTokens: whole(1).optional(),
    gpu: z
      .union([z.literal(false), z.enum(['auto', 'cuda', 'vulkan', 'metal', 'cpu', 'false'])], { error: 'expected auto, cuda, vulkan, metal or cpu' })
      .default('auto')
      .transform((gpu) => (gpu === 'cpu' || gpu === 'false' ? false : gpu)),
    gpuLayers: z
      .union([z.enum(['auto', 'max']), whole(0)], { error: 'expected auto, max or a number of layers' })
      .default('auto'),
    // Collected as a list so that a second one is refused, not silently dropped.
    upstreamUrl: list
      .pipe(z.array(url).max(1, { error: 'one engine per server: balance several by listing each server in the gateway (EDGE_UPSTREAMS)' }))
      .optional()
      .transform((urls) => urls?.[0]),
    upstreamCommand: z.string().min(1).optional(),
    upstreamReadyTimeoutMs: whole(1).default(15 * 60_000),
    streamIntervalMs: whole(0, 1000).default(16),
    heartbeatMs: whole(0).default(15_000),
    shutdownGraceMs: whole(0).default(10_000),
    logLevel: z.enum(['debug', 'info', 'warn', 'error'], { error: 'expected debug, info, warn or error' }).default('info'),
    logPrompts: flagBoolean.default(false),
  })
  .superRefine((config, ctx) => {
    const issue = (path: Setting, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (config.engine === 'upstream' && config.upstreamUrl === undefined) issue('upstreamUrl', 'needed with --engine upstream')
    if (config.engine !== 'upstream' && config.upstreamUrl !== undefined) issue('upstreamUrl', 'only with --engine upstream')
    if (config.upstreamCommand !== undefined && config.engine !== 'upstream') issue('upstreamCommand', 'only with --engine upstream')
    if (config.apiKey.length === 0 && !config.insecureNoAuth && !isLoopback(config.host)) {
      issue('apiKey', `needed to listen on ${config.host}, which is not a loopback address (or --insecure-no-auth to serve anyone who reaches the port)`)
    }
    const names = config.model.map((m) => m.name)
    const twice = names.find((name, i) => names.indexOf(name) !== i)
    if (twice) issue('model', `"${twice}" is served twice; name each model (NAME=SOURCE)`)
  })

export type ServerConfig = z.output<typeof serverConfigSchema>

/** Settings as code gives them: any subset, models as `NAME=SOURCE` strings or objects, `gpu: 'cpu'` or `false`. */
export type ServerSettings = Partial<Omit<ServerConfig, 'model' | 'gpu'>> & {
  model?: ReadonlyArray<string | { name: string; source: string }>
  gpu?: ServerConfig['gpu'] | 'cpu'
}

/** Settings from code (startNativeServer), checked like flags. Throws a TandemError naming the setting. */
export function parseServerConfig(input: ServerSettings): ServerConfig {
  const result = serverConfigSchema.safeParse(input)
  if (result.success) return result.data
  throw configError(result.error.issues[0]!, (key) => key)
}

/**
 * Flags, then environment variables, then defaults: one parse, one message naming the flag and
 * variable at fault. `help` when asked for it.
 */
export function loadConfig(argv: readonly string[], env: Record<string, string | undefined>): { help: true } | { help: false; config: ServerConfig } {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    const options = Object.fromEntries(
      Object.values(SETTINGS).map((s) => [s.flag, { type: s.arg === undefined ? ('boolean' as const) : ('string' as const), multiple: 'multiple' in s }]),
    )
    values = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new TandemError('invalid_request', `${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; see --help`)
  }
  if (values.help === true) return { help: true }
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(SETTINGS) as Setting[]) {
    const value = values[SETTINGS[key].flag] ?? env[envName(key)]
    if (value !== undefined) raw[key] = value
  }
  const result = serverConfigSchema.safeParse(raw)
  if (!result.success) {
    throw configError(result.error.issues[0]!, (key) => `--${SETTINGS[key].flag} (${envName(key)})`, raw)
  }
  return { help: false, config: result.data }
}

function configError(issue: z.core.$ZodIssue, name: (key: Setting) => string, raw?: Record<string, unknown>): TandemError {
  const key = issue.path[0] as Setting | undefined
  if (key === undefined || !(key in SETTINGS)) return new TandemError('invalid_request', issue.message)
  const given = raw?.[key]
  // A key is never repeated back, not even a malformed one: stderr goes to logs.
  const got = given === undefined || Array.isArray(given) || key === 'apiKey' ? '' : ` (got ${JSON.stringify(given)})`
  return new TandemError('invalid_request', `${name(key)}: ${issue.message}${got}`, { param: key })
}

export function helpText(): string {
  const rows = (Object.keys(SETTINGS) as Setting[]).map((key) => {
    const s = SETTINGS[key]
    return `  --${s.flag}${s.arg ? ` ${s.arg}` : ''}\n      ${s.help} [${envName(key)}]`
  })
  return [
    'tandem-native: an OpenAI-compatible server for Grok-2-family models',
    '',
    'Usage: tandem-native [options]     (no options: the tiny Grok-2 on 127.0.0.1:8081)',
    '',
    'Options (each also read from the environment variable in brackets):',
    ...rows,
    '  -h, --help\n      this text',
  ].join('\n')
}

// npm start: the main job. Builds what is missing (the tiny model, the demo), then starts the whole
// stack on loopback — native-server on the tiny Grok-2, the gateway in workerd through `wrangler dev`
// with development keys, and the demo (with /models/ and the chat element's drop-in build under /embed/
// for pages on other origins) — prints where each is and how to embed the chat, and stops everything on
// Ctrl-C or SIGTERM. `npm start -- --help` lists its flags.
import { ensureTinyModel } from '@tandem/models/node'
import { GROK_2_TINY, parameterCount } from '@tandem/models'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDemo, DEMO_DIST, DEMO_ROOT } from './build-demo.ts'
import { startDemoServer } from './demo-server.ts'
import type { IsolatedServer } from './static-server.ts'
import { devKeys } from './start/dev-keys.ts'
import { EMBED_DIST, ensureEmbedBuild } from './start/embed-build.ts'
import { parseStartOptions, START_USAGE } from './start/start-options.ts'
import { spawnNode, TANDEM_NATIVE, tandemNativeUrl, type NodeProcess } from './processes.ts'

const parsed = parseStartOptions(process.argv.slice(2), process.env)
if (!parsed.ok) {
  console.error(`npm start: ${parsed.message}`)
  process.exit(2)
}
if (parsed.options.help) {
  console.log(START_USAGE)
  process.exit(0)
}
const { allowedOrigins, ports: PORTS } = parsed.options
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const HOST = '127.0.0.1'
const MODEL = 'grok-2-tiny'
const demoOrigins = [`http://${HOST}:${PORTS.demo}`, `http://localhost:${PORTS.demo}`]

/** A part of the stack: a Node process in a group of its own, so stopping it reaches its children (wrangler's workerd). */
interface Part {
  readonly name: string
  readonly process: NodeProcess
}

const parts: Part[] = []
let demo: IsolatedServer | undefined
/** Ends what is not a part: the drop-in build, when stopped while it builds. */
const stopped = new AbortController()
let stopping: Promise<void> | undefined
function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  stopping ??= (async () => {
    console.log('stopping…')
    stopped.abort()
    await Promise.all([...parts.map((part) => part.process.stop(signal, 10_000)), demo?.close()])
    console.log('✓ stopped')
  })()
  return stopping
}
// The first Ctrl-C stops everything cleanly; tsx may relay a signal twice, so later ones wait for the first.
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('exit', () => parts.forEach((part) => void part.process.kill()))

try {
  const model = await ensureTinyModel({ onProgress: (p) => p.stage === 'building' && console.log('building the tiny Grok-2…') })
  const f16 = model.manifest.variants.find((v) => v.id === 'f16')!.files[0]!
  console.log(`✓ tiny Grok-2  ${model.f16Path} (${(f16.bytes / 1e6).toFixed(1)} MB, ${(parameterCount(GROK_2_TINY).total / 1e6).toFixed(2)}M parameters)`)
  const hasDemo = existsSync(join(DEMO_ROOT, 'index.html'))
  if (!hasDemo) console.log('· demo not built yet')
  else if (!existsSync(join(DEMO_DIST, 'index.html'))) {
    console.log('building the demo…')
    await buildDemo()
  }

  // Built while the other parts start; /embed/ answers 404 until it is there.
  const embedBuilt = ensureEmbedBuild(stopped.signal)
  const keyOrigins = [...new Set([...demoOrigins, ...allowedOrigins])]
  const keys = devKeys(keyOrigins)
  // native-server asks for a key of its own (in its environment, out of the process list), which only the gateway has.
  const native = startPart('native-server', [...TANDEM_NATIVE, '--host', HOST, '--port', String(PORTS.native)], { TANDEM_API_KEY: keys.upstream }, (line) => {
    const entry = parseJson(line)
    if (entry?.level === 'error') console.error(`[native-server] ${line}`)
  })
  const nativeReady = native.process.ready(tandemNativeUrl, 120_000)
  nativeReady.catch(() => {}) // awaited below, once the other parts are started

  const envFile = join(ROOT, '.wrangler', 'start.env')
  await mkdir(dirname(envFile), { recursive: true })
  const settings: Record<string, string> = {
    EDGE_UPSTREAMS: `http://${HOST}:${PORTS.native}`,
    EDGE_MODELS: MODEL,
    ...keys.settings,
    EDGE_LOG_LEVEL: 'warn',
  }
  await writeFile(envFile, Object.entries(settings).map(([k, v]) => `${k}='${v}'\n`).join(''), { mode: 0o600 })
  const gateway = startPart(
    'gateway',
    ['node_modules/wrangler/bin/wrangler.js', 'dev', '--ip', HOST, '--port', String(PORTS.gateway), '--env-file', envFile, '--inspector-port', '0', '--show-interactive-dev-session=false', '--log-level', 'warn'],
    { WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' },
  )

  if (hasDemo) demo = await startDemoServer({ root: DEMO_DIST, models: model.dir, embed: EMBED_DIST, settings: { gateway: `http://${HOST}:${PORTS.gateway}/v1`, model: MODEL, publishableKey: keys.publishable }, host: HOST, port: PORTS.demo })
  const nativeURL = await nativeReady
  const gatewayURL = `http://${HOST}:${PORTS.gateway}`
  // The gateway is ready once it has seen native-server ready: from then on no request gets a startup error.
  await waitForReady(`${gatewayURL}/readyz`, gateway)
  const embedded = (await embedBuilt) && demo !== undefined
  console.log(`✓ native-server ${nativeURL}  serving ${MODEL}, to the gateway's key only`)
  console.log(`✓ gateway       ${gatewayURL}  (workerd through wrangler dev) → native-server`)
  console.log('')
  if (demo) console.log(`✓ demo          ${demo.url}\n\n  open ${demo.url}`)
  console.log(`  gateway  ${gatewayURL}/v1   secret key  ${keys.secret}${process.env.TANDEM_DEV_KEY ? '  (TANDEM_DEV_KEY)' : ''}`)
  console.log(`                                   publishable key  ${keys.publishable}  for ${keyOrigins.join(', ')}`)
  console.log(`  curl -N ${gatewayURL}/v1/chat/completions -H 'authorization: Bearer ${keys.secret}' -H 'content-type: application/json' \\`)
  console.log(`    -d '{"model":"${MODEL}","messages":[{"role":"user","content":"Hi"}],"max_tokens":16,"stream":true}'`)
  if (embedded) {
    console.log(`  the chat on a page of one of those origins (add yours: npm start -- --allow-origin http://127.0.0.1:9000):`)
    console.log(`    <script type="module" src="${demo!.url}/embed/tandem-chat.js"></script>`)
    console.log(`    <tandem-chat gateway="${gatewayURL}/v1" publishable-key="${keys.publishable}" model="${MODEL}"></tandem-chat>`)
  }
  console.log('  Ctrl-C stops everything')
  // Any part ending on its own ends the stack.
  const first = await Promise.race(parts.map((part) => part.process.exited.then((code) => ({ name: part.name, code }))))
  if (!stopping) {
    console.error(`${first.name} exited with ${first.code}; stopping the rest`)
    process.exitCode = 1
  }
  await stop()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
  await stop()
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

async function waitForReady(url: string, part: Part, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (part.process.child.exitCode !== null || stopping) throw new Error(`${part.name} stopped before it was ready`)
    const ok = await fetch(url).then((r) => r.ok, () => false)
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${part.name} was not ready in ${timeoutMs / 1000} s`)
}

/** Starts `node <args>` as a part of the stack; its stderr's errors and warnings are shown, as `onLine` wishes for stdout. */
function startPart(name: string, args: string[], env: Record<string, string>, onLine?: (line: string) => void): Part {
  const node = spawnNode(args, {
    env,
    group: true,
    onLine: (line, stream) => {
      if (stream === 'stdout') onLine?.(line)
      else if (/error|warn/i.test(line) && !/Request\.cf|cf object/i.test(line)) console.error(`[${name}] ${line}`)
    },
  })
  const part = { name, process: node }
  parts.push(part)
  return part
}

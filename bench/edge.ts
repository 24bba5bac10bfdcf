// The edge gateway's cost: a native-server on the tiny Grok-2 asked directly, through a bare node:http
// proxy (the floor any gateway starts from), through a one-route Hono app on @hono/node-server (the floor
// of a Hono gateway in Node), through the gateway's Node entry and through its Workers entry in workerd,
// side by side in one run. Each runs in its own
// process (the client here, the native-server and the Node gateway as children, workerd under wrangler),
// as they would on separate machines; the native-server decodes on one thread so a core is left for the rest.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { decodeChatStream } from '@tandem/protocol'
import { ensureTinyModel } from '@tandem/models/node'
import { root, startChild, startTandemNative, type Child } from '../scripts/processes.ts'
import { SOURCE_CONDITION } from '../scripts/source-condition.ts'
import { median, pairedRatio, spread, table } from './stats.ts'
import { ensureWideModel, WIDE_NAME } from './wide-model.ts'

const MODEL = 'grok-2-tiny'

/**
 * The proxies in Node run their TypeScript through Node's own type stripping, as the published build runs:
 * tsx's transform keeps function names by wrapping each function in `__name()` when it is made, a cost on every
 * closure a request creates (about 0.11 ms of the gateway's CPU per request, perf says) that neither has.
 */
const STRIPPED = ['--experimental-strip-types', `--conditions=${SOURCE_CONDITION}`]
const KEY = 'sk_bench_edge'

interface Way {
  readonly name: string
  readonly url: string
  readonly headers: Record<string, string>
  /** Per streamed model. */
  readonly ttftMs: Record<string, number[]>
  readonly tokensPerSecond: Record<string, number[]>
  readonly latencyMs: number[]
}

/** CPU time (user + system) a process has used, in ms; undefined where /proc is not there. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return undefined
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!
}

export async function benchEdge({ repetitions = 5, tokens = 512, wideTokens = 128, samples = 300 } = {}) {
  const tiny = (await ensureTinyModel()).f16Path
  const wide = await ensureWideModel()
  // The tiny model decodes in well under a millisecond, far faster than any real server; the wider one
  // shows the gateway's cost beside decodes closer to real ones.
  const streamed = [
    { label: 'tiny', model: MODEL, tokens },
    { label: 'E=512', model: WIDE_NAME, tokens: wideTokens },
  ]
  // Greedy, exactly maxTokens long (past the end of the turn).
  const request = (model: string, maxTokens: number, stream: boolean) =>
    JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello there' }], max_tokens: maxTokens, temperature: 0, ignore_eos: true, stream, ...(stream && { stream_options: { include_usage: true } }) })

  let native: Child | undefined
  let node: Child | undefined
  let bare: Child | undefined
  let hono: Child | undefined
  let workerd: { dispose(): Promise<void> } | undefined
  try {
    const server = await startTandemNative(['--context-size', '1024', '--parallel', '1', '--model', `${MODEL}=${tiny}`, '--model', `${WIDE_NAME}=${wide}`])
    native = server

    const env = {
      EDGE_UPSTREAMS: server.url,
      EDGE_MODELS: `${MODEL},${WIDE_NAME}`,
      EDGE_SECRET_KEYS: JSON.stringify([{ id: 'bench', sha256: createHash('sha256').update(KEY).digest('hex'), limits: { rpm: 100_000, tpm: 1e9 } }]),
      EDGE_LOG_LEVEL: 'warn',
    }
    const gateway = await startChild([...STRIPPED, root('workers/edge/src/node.ts')], { ...env, EDGE_PORT: '0' }, (line) => /listening on (\S+)/.exec(line)?.[1])
    node = gateway
    bare = await startChild([...STRIPPED, root('bench/bare-proxy.ts'), server.url], {}, (line) => /listening on (\S+)/.exec(line)?.[1])
    hono = await startChild([...STRIPPED, root('bench/hono-floor.ts'), server.url], {}, (line) => /listening on (\S+)/.exec(line)?.[1])

    process.env.WRANGLER_SEND_METRICS = 'false'
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
    const { unstable_startWorker } = await import('wrangler')
    const bindings = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, { type: 'plain_text' as const, value }]))
    const worker = await unstable_startWorker({
      config: root('wrangler.toml'),
      bindings,
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, logLevel: 'error' },
    })
    workerd = worker
    await worker.ready
    const workerdUrl = (await worker.url).href.replace(/\/$/, '')

    const auth = { authorization: `Bearer ${KEY}` }
    const perModel = () => Object.fromEntries(streamed.map((s) => [s.label, [] as number[]]))
    const way = (name: string, url: string, headers: Record<string, string>): Way => ({ name, url, headers, ttftMs: perModel(), tokensPerSecond: perModel(), latencyMs: [] })
    const ways = [
      way('direct', server.url, {}),
      way('bare node:http proxy (the floor)', bare.url, {}),
      way('one-route Hono on @hono/node-server (the Hono floor)', hono.url, {}),
      way('gateway, Node entry', gateway.url, auth),
      way('gateway, workerd', workerdUrl, auth),
    ]
    const post = (target: Way, body: string) =>
      fetch(`${target.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body })

    // Streams: interleaved, a warm-up round first.
    for (let round = 0; round <= repetitions; round++) {
      for (const stream of streamed) {
        for (const target of ways) {
          const started = performance.now()
          const response = await post(target, request(stream.model, stream.tokens, true))
          if (response.status !== 200) throw new Error(`${target.name}, ${stream.label} stream: status ${response.status} ${await response.text()}`)
          let first = 0
          let last = 0
          let tokens = 0
          for await (const part of decodeChatStream(response.body!)) {
            if (part.type === 'error') throw new Error(`${target.name}, ${stream.label} stream: ${part.error.message}`, { cause: part.error })
            if (part.type !== 'chunk') continue
            // A chunk may carry several tokens: count them as the usage does.
            tokens = part.chunk.usage?.completion_tokens ?? tokens
            if (!part.chunk.choices[0]?.delta.content) continue
            last = performance.now()
            first ||= last
          }
          if (tokens !== stream.tokens) throw new Error(`${target.name}: ${tokens} tokens, not ${stream.tokens}`)
          if (round === 0) continue
          target.ttftMs[stream.label]!.push(first - started)
          target.tokensPerSecond[stream.label]!.push(((tokens - 1) * 1000) / (last - first))
        }
      }
    }

    // Latency: a small non-streamed request, many times, ways interleaved in a rotating order; more
    // than 10 first, so V8 has optimized the hot paths before CPU time is counted. The CPU each
    // proxy in Node spends is read from /proc around the counted requests.
    const measured = new Map([
      [bare.url, bare],
      [hono.url, hono],
      [gateway.url, gateway],
    ])
    let cpuBefore = new Map<string, number | undefined>()
    for (let sample = -20; sample < samples; sample++) {
      if (sample === 0) cpuBefore = new Map([...measured].map(([url, child]) => [url, cpuMs(child.child.pid)]))
      for (let i = 0; i < ways.length; i++) {
        const target = ways[(i + sample + 20) % ways.length]!
        const started = performance.now()
        const response = await post(target, request(MODEL, 1, false))
        await response.arrayBuffer()
        if (response.status !== 200) throw new Error(`${target.name}: status ${response.status}`)
        if (sample >= 0) target.latencyMs.push(performance.now() - started)
      }
    }

    const cpuPerRequest = new Map(
      [...measured].map(([url, child]) => {
        const before = cpuBefore.get(url)
        const after = cpuMs(child.child.pid)
        return [url, before === undefined || after === undefined ? undefined : (after - before) / samples]
      }),
    )
    const honoCpu = cpuPerRequest.get(hono.url)
    const direct = ways[0]!
    const ratio = (values: number[], base: number[]) => pairedRatio(values, base).toFixed(3)
    const rows = ways.map((w) => ({
      way: w.name,
      ...Object.fromEntries(
        streamed.flatMap(({ label }) => [
          [`${label} TTFT ms`, `${median(w.ttftMs[label]!).toFixed(1)} ±${spread(w.ttftMs[label]!).toFixed(1)}`],
          [`${label} TTFT vs direct`, ratio(w.ttftMs[label]!, direct.ttftMs[label]!)],
          [`${label} tokens/s`, `${median(w.tokensPerSecond[label]!).toFixed(1)} ±${spread(w.tokensPerSecond[label]!).toFixed(1)}`],
          [`${label} tokens/s vs direct`, ratio(w.tokensPerSecond[label]!, direct.tokensPerSecond[label]!)],
        ]),
      ),
      'p50 ms': percentile(w.latencyMs, 0.5).toFixed(2),
      'p99 ms': percentile(w.latencyMs, 0.99).toFixed(2),
      'added p50 ms': (percentile(w.latencyMs, 0.5) - percentile(direct.latencyMs, 0.5)).toFixed(2),
      'added p99 ms': (percentile(w.latencyMs, 0.99) - percentile(direct.latencyMs, 0.99)).toFixed(2),
      'CPU ms/request': cpuPerRequest.get(w.url)?.toFixed(2) ?? '–',
      'CPU vs Hono floor': honoCpu && cpuPerRequest.get(w.url) !== undefined ? (cpuPerRequest.get(w.url)! / honoCpu).toFixed(2) : '–',
      'added p50 vs Hono floor ms': (percentile(w.latencyMs, 0.5) - percentile(ways[2]!.latencyMs, 0.5)).toFixed(2),
    }))
    const name = `edge gateway vs direct (streams ×${repetitions}: tiny Grok-2 ${tokens} tokens, E=512 ${wideTokens} tokens; ${samples} one-token requests each on tiny)`
    return { name, rows, markdown: table(rows) }
  } finally {
    await workerd?.dispose()
    await Promise.all([node?.stop(), bare?.stop(), hono?.stop(), native?.stop()])
  }
}

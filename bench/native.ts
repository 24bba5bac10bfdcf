// native-server against node-llama-cpp called directly (same model, prompt and settings), and
// native-server's aggregate throughput with 1, 2 and 4 concurrent streams on a wider tiny Grok-2.
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp'
import { parameterCount } from '@tandem/models'
import { ensureTinyModel } from '@tandem/models/node'
import type { ChatCompletionChunk } from '@tandem/protocol'
import { startTandemNative, type Child } from '../scripts/processes.ts'
import { median, pairedRatio, spread, table } from './stats.ts'
import { ensureWideModel, WIDE } from './wide-model.ts'

const THREADS = 1
const CONTEXT = 1024
const PROMPT = 'Human: Tell me a long story<|separator|>\n\nAssistant:'
const MESSAGES = [{ role: 'user', content: 'Tell me a long story' }]

interface Timing {
  tokens: number
  ttftMs: number
  /** Tokens after the first, per second from the first to the last. */
  tokensPerSecond: number
}

/**
 * One streamed request, read as a lean client reads it (events split, each JSON parsed once), so
 * the figure is the server's and not a heavy client's: on 2 shared cores the client competes for CPU.
 */
async function streamOverHttp(url: string, model: string, tokens: number, content = MESSAGES[0]!.content): Promise<Timing> {
  const started = performance.now()
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content }],
      max_tokens: tokens,
      temperature: 0,
      // Exactly `tokens`, as the in-process loop makes: past the end of the turn.
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    }),
  })
  if (!response.ok) throw new Error(`native-server answered ${response.status}: ${await response.text()}`)
  let first: number | undefined
  let last = started
  let count = 0
  let buffer = ''
  const decoder = new TextDecoder()
  const reader = response.body!.getReader()
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true })
    const events = buffer.split('\n\n')
    buffer = events.pop()!
    for (const event of events) {
      if (!event.startsWith('data: {')) continue
      const chunk = JSON.parse(event.slice(6)) as ChatCompletionChunk
      if (chunk.choices[0]?.delta.content) {
        first ??= performance.now()
        last = performance.now()
      }
      count = chunk.usage?.completion_tokens ?? count
    }
  }
  return { tokens: count, ttftMs: first! - started, tokensPerSecond: (count - 1) / ((last - first!) / 1000) }
}

/** The server's own count of decode steps and sequences decoded in them (`/metrics`). */
async function decodeSteps(url: string): Promise<{ steps: number; sequences: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const read = (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split('\n').find((line) => line.startsWith(`${name} `)) ?? '')?.[2] ?? NaN)
  return { steps: read('tandem_decode_steps_total'), sequences: read('tandem_decode_step_sequences_total') }
}

/** node-llama-cpp called directly: the same file, prompt tokens and sampling the server uses. */
async function inProcessRunner(llama: Llama, modelPath: string) {
  const model = await llama.loadModel({ modelPath })
  const context = await model.createContext({ contextSize: CONTEXT, threads: THREADS })
  return {
    async run(tokens: number): Promise<Timing> {
      const sequence = context.getSequence()
      try {
        const started = performance.now()
        let first = 0
        let count = 0
        const options = { temperature: 0, topK: 0, topP: 1, minP: 0, yieldEogToken: true }
        for await (const _ of sequence.evaluate(model.tokenize(PROMPT, true), options)) {
          if (++count === 1) first = performance.now()
          if (count === tokens) break
        }
        return { tokens: count, ttftMs: first - started, tokensPerSecond: (count - 1) / ((performance.now() - first) / 1000) }
      } finally {
        await sequence.dispose()
      }
    },
    dispose: async () => {
      await context.dispose()
      await model.dispose()
    },
  }
}

export async function benchNative({ repetitions = 5, tokens = 512, wideTokens = 256, concurrentTokens = 48 } = {}) {
  const widePath = await ensureWideModel()
  const single = ['--context-size', String(CONTEXT), '--parallel', '1']
  // Started one at a time, so that a failed start leaves nothing running.
  const servers: Child[] = []
  const start = async (args: string[]) => servers.push(await startTandemNative(args))
  const llama = await getLlama({ gpu: false, maxThreads: THREADS, logLevel: LlamaLogLevel.error })
  const direct: Array<Awaited<ReturnType<typeof inProcessRunner>>> = []
  try {
    await start(single)
    await start([...single, '--stream-interval-ms', '0'])
    await start([...single, '--model', `wide=${widePath}`])
    await start(['--context-size', String(CONTEXT), '--model', `wide=${widePath}`, '--parallel', '4'])
    direct.push(await inProcessRunner(llama, (await ensureTinyModel()).f16Path), await inProcessRunner(llama, widePath))
  } catch (error) {
    await stopAll()
    throw error
  }
  const [tinyServer, tinyEveryTokenServer, wideServer, concurrentServer] = servers as [Child, Child, Child, Child]
  const [tinyDirect, wideDirect] = direct as [(typeof direct)[number], (typeof direct)[number]]
  async function stopAll() {
    for (const runner of direct) await runner.dispose()
    await llama.dispose()
    await Promise.all(servers.map((server) => server.stop()))
  }
  // Each model against node-llama-cpp in-process; the tiny one also with a chunk per token.
  const models = [
    { label: 'tiny Grok-2', name: 'grok-2-tiny', tokens, direct: tinyDirect, servers: [['native-server, HTTP SSE', tinyServer], ['native-server, HTTP SSE, a chunk per token', tinyEveryTokenServer]] as const },
    { label: 'E=512', name: 'wide', tokens: wideTokens, direct: wideDirect, servers: [['native-server, HTTP SSE', wideServer]] as const },
  ]
  const timings = models.map((model) => ({ direct: [] as Timing[], http: model.servers.map(() => [] as Timing[]) }))
  const concurrency = [1, 2, 4]
  const aggregate = new Map(concurrency.map((k) => [k, [] as number[]]))
  const batch = new Map(concurrency.map((k) => [k, [] as number[]]))
  try {
    // Every round runs each way once, reversing the order every other round; round 0 warms up and is dropped.
    for (let round = 0; round <= repetitions; round++) {
      for (const [i, model] of models.entries()) {
        const ways = [
          { record: timings[i]!.direct, run: () => model.direct.run(model.tokens) },
          ...model.servers.map(([, server], s) => ({ record: timings[i]!.http[s]!, run: () => streamOverHttp(server.url, model.name, model.tokens) })),
        ]
        for (const way of round % 2 === 0 ? ways : ways.reverse()) {
          const timing = await way.run()
          if (timing.tokens !== model.tokens) throw new Error(`${model.label}: generated ${timing.tokens} tokens, not ${model.tokens}`)
          if (round > 0) way.record.push(timing)
        }
      }
      for (const k of round % 2 === 0 ? concurrency : [...concurrency].reverse()) {
        const before = await decodeSteps(concurrentServer.url)
        const started = performance.now()
        const runs = await Promise.all(Array.from({ length: k }, (_, i) => streamOverHttp(concurrentServer.url, 'wide', concurrentTokens, `Story number ${i + 1}`)))
        const seconds = (performance.now() - started) / 1000
        const after = await decodeSteps(concurrentServer.url)
        if (round === 0) continue
        aggregate.get(k)!.push(runs.reduce((sum, run) => sum + run.tokens, 0) / seconds)
        batch.get(k)!.push((after.sequences - before.sequences) / (after.steps - before.steps))
      }
    }
  } finally {
    await stopAll()
  }

  const stat = (values: number[], digits = 0) => `${median(values).toFixed(digits)} ±${spread(values).toFixed(digits)}`
  const tps = (list: Timing[]) => list.map((t) => t.tokensPerSecond)
  const ttft = (list: Timing[]) => list.map((t) => t.ttftMs)
  const versusRows = models.flatMap((model, i) => {
    const { http, direct } = timings[i]!
    return [
      { model: model.label, way: 'node-llama-cpp in-process', 'tokens/s': stat(tps(direct)), 'TTFT ms': stat(ttft(direct), 1), 'tokens/s vs in-process': '1.00', 'TTFT vs in-process': '1.00' },
      ...model.servers.map(([way], s) => ({
        model: model.label,
        way,
        'tokens/s': stat(tps(http[s]!)),
        'TTFT ms': stat(ttft(http[s]!), 1),
        'tokens/s vs in-process': pairedRatio(tps(http[s]!), tps(direct)).toFixed(2),
        'TTFT vs in-process': pairedRatio(ttft(http[s]!), ttft(direct)).toFixed(2),
      })),
    ]
  })
  const oneStream = median(aggregate.get(1)!)
  const concurrencyRows = concurrency.map((k) => ({
    streams: k,
    'aggregate tokens/s': stat(aggregate.get(k)!),
    'vs 1 stream': (median(aggregate.get(k)!) / oneStream).toFixed(2),
    'sequences per decode': median(batch.get(k)!).toFixed(2),
  }))
  const wideParams = (parameterCount(WIDE).total / 1e6).toFixed(0)
  return [
    {
      name: `native-server vs node-llama-cpp in-process (${THREADS} thread, greedy; tiny: ${tokens} tokens, E=512: ${wideTokens})`,
      rows: versusRows,
      markdown: table(versusRows),
    },
    {
      name: `native-server concurrent streams (tiny Grok-2 at E=512, ${wideParams}M parameters, ${THREADS} thread, ${concurrentTokens} tokens per stream)`,
      rows: concurrencyRows,
      markdown: table(concurrencyRows),
    },
  ]
}

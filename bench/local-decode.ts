// The local route's decode speed: wllama in Chromium read through the SDK and worker, wllama's own
// loop in a bare worker (the floor: no boundary), and node-llama-cpp on the same shards and threads,
// on the tiny Grok-2 (per-token costs dominate) and the 4× wider one (the decode dominates).
import { ensureTinyModel } from '@tandem/models/node'
import { loadavg } from 'node:os'
import { rm } from 'node:fs/promises'
import { LlamaLogLevel, TokenBias, getLlama, type LlamaModel, type Token } from 'node-llama-cpp'
import type { Page } from 'playwright-core'
import { buildHarness, launchChromium, startIsolatedServer, type DecodeFloorRun, type Harness } from '../scripts/browser-harness/index.ts'
import { chat, open } from './local.ts'
import { median, pairedRatio, spread, table } from './stats.ts'
import { ensureWideShards } from './wide-model.ts'

const THREADS = [1, 2] as const
// Tokens 128–255 are the bytes that start or continue a multi-byte character. The random-weight E=512 model writes
// pieces of characters that never complete, which wllama 3.13's reply encoder throws on; pushed down on both
// runtimes alike, the answers stay text and the decode is what is measured.
const PARTIAL_CHARACTERS = Array.from({ length: 128 }, (_, i) => 128 + i)
const WAYS = ['native', 'floor', 'sdk'] as const
type Way = (typeof WAYS)[number]

interface Measured {
  rates: Record<string, number[]>
  /** Per answer through the SDK: chunks the page read, and messages the worker posted for them. */
  chunks: number[]
  messages: number[]
}

export async function benchLocalDecode({ repetitions = 3, tinyTokens = 128, wideTokens = 64 } = {}) {
  const models = [
    { name: 'tiny Grok-2 (E=256)', files: await ensureTinyModel(), tokens: tinyTokens },
    { name: '4× wider Grok-2 (E=512, random weights)', files: await ensureWideShards(), tokens: wideTokens },
  ]
  const dist = await buildHarness()
  // One origin per model: both are served as grok-2-tiny, and each origin has its own OPFS.
  const servers = await Promise.all(models.map((m) => startIsolatedServer({ root: dist, models: m.files.dir })))
  const llama = await getLlama({ gpu: false, maxThreads: 2, logLevel: LlamaLogLevel.error })
  const measured: Measured[] = models.map(() => ({ rates: {}, chunks: [], messages: [] }))
  const variants: string[] = []
  const failures: string[] = []
  const load: number[] = []
  try {
    for (let round = 0; round <= repetitions; round++) {
      const browser = await launchChromium()
      try {
        for (const [i, model] of models.entries()) {
          if (failures[i] !== undefined) continue
          load.push(loadavg()[0]!)
          const page = await open(browser.context, servers[i]!)
          const request = {
            messages: [{ role: 'user' as const, content: 'hello' }],
            temperature: 0,
            ignore_eos: true,
            max_tokens: model.tokens,
            logit_bias: Object.fromEntries(PARTIAL_CHARACTERS.map((token) => [token, -100])),
          }
          const stored = await chat(page, { request: { ...request, max_tokens: 2 } }).catch((error: unknown) => error as Error) // downloads the shards into OPFS
          if (stored instanceof Error) {
            // Should wllama still fail to answer: said in the table, not measured.
            failures[i] = stored.message
            await page.close()
            continue
          }
          const variant = (variants[i] = stored.plan.local!.variant)
          const native = await llama.loadModel({ modelPath: model.files.variantPaths[variant]![0]! })
          try {
            for (const threads of THREADS) {
              const rates = {} as Record<Way, number>
              const ways: Record<Way, () => Promise<void>> = {
                native: async () => {
                  rates.native = await nativeDecode(native, threads, model.tokens)
                },
                floor: async () => {
                  const floor = await decodeFloor(page, { variant, threads, request })
                  rates.floor = (floor.contentChunks - 1) / (floor.decodeMs / 1000)
                },
                sdk: async () => {
                  // Two answers from one client, the second timed, as the floor's (see decode-floor-worker.ts).
                  const run = await chat(page, { threads, request, keepOpen: true, repeat: 2 })
                  const timing = run.rounds[1]!
                  rates.sdk = (timing.contentChunks - 1) / ((timing.lastContentMs - timing.firstContentMs) / 1000)
                  if (round > 0 && threads === 1) {
                    measured[i]!.chunks.push(timing.chunks)
                    measured[i]!.messages.push(await messagesPosted(page))
                  }
                  await page.evaluate(() => (window as unknown as { harness: Harness }).harness.close())
                },
              }
              // Each round starts with another way, so a drift in the machine hits all alike.
              for (let k = 0; k < WAYS.length; k++) await ways[WAYS[(k + round) % WAYS.length]!]()
              if (round === 0) continue // warm-up
              for (const way of WAYS) (measured[i]!.rates[`${way} ${threads}`] ??= []).push(rates[way])
            }
          } finally {
            await native.dispose()
            await page.close()
          }
        }
      } finally {
        await browser.close()
      }
    }
  } finally {
    await llama.dispose()
    await Promise.all(servers.map((s) => s.close()))
    await rm(dist, { recursive: true, force: true })
  }

  const label: Record<Way, string> = {
    native: 'node-llama-cpp (native)',
    floor: 'wllama alone, timed in its worker (floor)',
    sdk: 'wllama through the worker and the SDK, timed in the page',
  }
  const rows = models.flatMap((model, i) =>
    failures[i] !== undefined
      ? [{ model: model.name, runtime: `wllama fails: ${failures[i]}`, threads: '', 'tokens/s': '', 'vs native, same threads': '', 'vs floor': '' }]
      : THREADS.flatMap((threads) => {
          const rates = measured[i]!.rates
          const of = (way: Way) => rates[`${way} ${threads}`]!
          return WAYS.map((way) => ({
            model: `${model.name} ${variants[i]}`,
            runtime: label[way],
            threads: String(threads),
            'tokens/s': `${median(of(way)).toFixed(0)} ±${spread(of(way)).toFixed(0)}`,
            'vs native, same threads': pairedRatio(of(way), of('native')).toFixed(2),
            'vs floor': pairedRatio(of(way), of('floor')).toFixed(2),
          }))
        }),
  )
  const messageRows = models.flatMap((model, i) =>
    failures[i] !== undefined
      ? []
      : [
          {
            model: model.name,
            tokens: model.tokens,
            'chunks the page read': median(measured[i]!.chunks).toFixed(0),
            'messages across the worker boundary': median(measured[i]!.messages).toFixed(0),
          },
        ],
  )
  return {
    name: `local route decode: wllama wasm in Chromium vs node-llama-cpp, greedy, load average ${median(load).toFixed(1)} on ${THREADS.at(-1)} shared cores`,
    rows: { decode: rows, messages: messageRows },
    markdown: `${table(rows)}\n\nOne answer through the SDK, 1 thread (medians):\n\n${table(messageRows)}`,
  }
}

async function decodeFloor(page: Page, run: DecodeFloorRun, tries = 2) {
  const result = await page.evaluate((r) => (window as unknown as { harness: Harness }).harness.decodeFloor(r), run)
  if (result.error !== undefined && tries > 1) {
    // Seen once under load 17: wllama's worker read its reply's length from the wrong place ("Invalid typed array length"). Said, and tried again.
    console.warn(`decode floor failed (${result.error}); once more`)
    return decodeFloor(page, run, tries - 1)
  }
  if (result.error !== undefined) throw new Error(result.error)
  return result as Required<Omit<typeof result, 'error'>>
}

/** What the worker says it posted for its last answer (`tandem:answer`, a User Timing measure). */
async function messagesPosted(page: Page): Promise<number> {
  const worker = page.workers().find((w) => /\/worker-[\w-]+\.js$/.test(w.url()))
  if (!worker) return NaN
  return worker.evaluate(() => {
    const answers = performance.getEntriesByName('tandem:answer', 'measure') as PerformanceMeasure[]
    return (answers.at(-1)?.detail as { messages?: number } | undefined)?.messages ?? NaN
  })
}

/** Tokens per second from the first generated token to the last. */
async function nativeDecode(model: LlamaModel, threads: number, tokens: number): Promise<number> {
  const context = await model.createContext({ contextSize: 512, threads })
  try {
    const prompt = model.tokenize('Human: hello<|separator|>\n\nAssistant:', true)
    const tokenBias = new TokenBias(model.tokenizer)
    for (const token of PARTIAL_CHARACTERS) tokenBias.set(token as Token, { logit: -100 })
    let count = 0
    let first = 0
    for await (const _ of context.getSequence().evaluate(prompt, { temperature: 0, yieldEogToken: true, tokenBias })) {
      if (++count === 1) first = performance.now()
      if (count === tokens) break
    }
    return (tokens - 1) / ((performance.now() - first) / 1000)
  } finally {
    await context.dispose()
  }
}

// The local route's start in Chromium: a cold load (nothing stored) against a cached one and its
// floor, side by side in one run, on the tiny Grok-2 and on the 4× wider one's Q4_0 shards.
// Decode speed is `local-decode.ts`.
import { ensureTinyModel, TINY_MANIFEST, type TinyModelFiles } from '@tandem/models/node'
import { rm } from 'node:fs/promises'
import { loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import { buildHarness, launchChromium, startIsolatedServer, type ChatResult, type ChatRun, type FloorRun, type Harness, type IsolatedServer } from '../scripts/browser-harness/index.ts'
import { breakdown, STEPS } from './cached-start.ts'
import { startChartSvg, type StartBars } from './start-chart.ts'
import { median, pairedRatio, spread, table } from './stats.ts'
import { ensureWideShards } from './wide-model.ts'

/** 50 Mbit/s, a common broadband link: loopback makes an 8 MB download look free. */
const LINK_BYTES_PER_SECOND = 50e6 / 8

interface StartModel {
  name: string
  files: TinyModelFiles
  /** The variant whose shards are measured; served under the id the planner picks (both models are served as grok-2-tiny). */
  variant: string
  /** One whose greedy first token is text: most of the random-weight model's first tokens are parts of one UTF-8 character. */
  prompt: string
}

type Loads = Record<'cold' | 'coldLink' | 'cached' | 'warm' | 'floor', number[]>

export async function benchLocal({ repetitions = 5 } = {}) {
  const models: StartModel[] = [
    { name: 'tiny Grok-2 (E=256) Q8_0', files: await ensureTinyModel(), variant: 'q8_0', prompt: 'hello' },
    { name: '4× wider Grok-2 (E=512, random weights) Q4_0', files: await ensureWideShards(), variant: 'q4_0', prompt: 'What is 2+2?' },
  ]
  const dist = await buildHarness()
  // One origin per model: each has its own OPFS, Cache Storage and HTTP cache.
  const servers = await Promise.all(models.map((m) => startIsolatedServer({ root: dist, models: m.files.dir })))
  const measured = models.map(() => ({ loads: { cold: [], coldLink: [], cached: [], warm: [], floor: [] } as Loads, steps: {} as Record<string, number[]> }))
  const load: number[] = []
  let planned = ''

  try {
    models.forEach((model, i) => servePlannedAs(servers[i]!, model, 'q8_0'))
    // Each round: a fresh browser profile (a first visit: no model, no cached wasm), then the same
    // profile with a new client and worker (a returning visit), each model on its own origin.
    for (let round = 0; round <= repetitions; round++) {
      const browser = await launchChromium()
      try {
        // The order alternates, so a drift in the machine hits both models alike.
        for (const i of round % 2 ? [1, 0] : [0, 1]) {
          load.push(loadavg()[0]!)
          const page = await open(browser.context, servers[i]!)
          const one = await startRound(page, servers[i]!, models[i]!.prompt)
          planned = one.planned
          await page.close()
          if (round === 0) continue // warm-up
          const { loads, steps } = measured[i]!
          for (const key of Object.keys(loads) as Array<keyof Loads>) loads[key].push(one[key])
          for (const [name, ms] of Object.entries(one.steps)) (steps[name] ??= []).push(ms)
        }
      } finally {
        await browser.close()
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()))
    await rm(dist, { recursive: true, force: true })
  }

  const sections = models.map((model, i) => report(model, measured[i]!.loads, measured[i]!.steps))
  const bars: StartBars[] = sections.map((s) => s.bars)
  const loadNote = `Load average (1 min) at each model's start: ${load.map((l) => l.toFixed(1)).join(', ')}; 2 shared cores.`
  return {
    name: 'local route start in Chromium (wllama wasm, SwiftShader has no shader-f16)',
    rows: Object.fromEntries(sections.flatMap((s, i) => [[`load ${i}`, s.loadRows], [`cachedStart ${i}`, s.stepRows], [`targets ${i}`, s.targets]])),
    markdown: [
      loadNote,
      `Both models are served as grok-2-tiny, each from its own origin; the planner picks ${planned}, so the measured variant's shards are served under that id. Times run to the first token; the E=512 model (random weights) is asked "What is 2+2?", whose greedy first token is text (after "hello" its first tokens are parts of one UTF-8 character, which wllama 3.13 fails on: \`Invalid typed array length: 1163217991\`, its JSON encoder throwing on invalid UTF-8).`,
      ...sections.map((s) => s.markdown),
      'The chart: `local-start.svg`, the cached start\'s steps stacked (medians), beside the floor and the cold start over 50 Mbit/s.',
    ].join('\n\n'),
    files: { 'local-start.svg': startChartSvg(bars) },
  }
}

/** One model's cold starts (50 Mbit/s, then loopback), its cached start step by step, the floor and a warm answer. */
async function startRound(page: Page, server: IsolatedServer, prompt: string) {
  // Greedy, and on past the end of the turn, so every run is exactly max_tokens long.
  const request = { messages: [{ role: 'user' as const, content: prompt }], temperature: 0, ignore_eos: true, max_tokens: 1 }
  // A first visit over a 50 Mbit/s link (shards and wllama's wasm paced), then again over loopback.
  server.throttle(LINK_BYTES_PER_SECOND)
  const coldLink = await chat(page, { request }).finally(() => server.throttle(undefined))
  await page.evaluate(() => (window as unknown as { harness: Harness }).harness.clearStorage({ runtime: true }))
  const cold = await chat(page, { request })
  // A returning visit: a new client and worker, from the client's creation (its plan starts the worker) to the first token.
  const cached = await chat(page, { request, repeat: 2, keepOpen: true })
  const steps = await breakdown(page, cached)
  // The floor: the same wllama loading the same bytes from memory, its wasm compiled by the first call.
  const floorRun: FloorRun = { variant: cached.plan.local!.variant, request, wasm: 'http' }
  await floor(page, floorRun)
  return {
    planned: cached.plan.local!.variant,
    coldLink: coldLink.rounds[0]!.firstContentMs,
    cold: cold.rounds[0]!.firstContentMs,
    cached: steps.total,
    warm: cached.rounds[1]!.firstContentMs,
    floor: await floor(page, floorRun),
    steps,
  }
}

/** Serves the measured variant's shards under the variant id the planner picks (its manifest entry renamed; the hashes are the shards'). */
function servePlannedAs(server: IsolatedServer, model: StartModel, planned: string): void {
  const manifest = model.files.manifest
  const measured = manifest.variants.find((v) => v.id === model.variant)!
  const variants = [{ ...measured, id: planned }, ...manifest.variants.filter((v) => v.id !== planned && v.id !== model.variant)]
  server.put(`/models/${TINY_MANIFEST}`, JSON.stringify({ ...manifest, variants }))
}

function report(model: StartModel, loads: Loads, steps: Record<string, number[]>) {
  const megabytes = model.files.manifest.variants.find((v) => v.id === model.variant)!.files.reduce((sum, f) => sum + f.bytes, 0) / 1e6
  const targets = [
    { figure: 'cached / floor', target: '≤ 1.5', measured: pairedRatio(loads.cached, loads.floor).toFixed(2) },
    { figure: 'cached / cold over 50 Mbit/s', target: '≤ 0.25', measured: pairedRatio(loads.cached, loads.coldLink).toFixed(2) },
  ]
  const stepRows = [...STEPS, 'other' as const, 'total' as const].map((step) => ({
    step: step === 'total' ? 'cached start, in all' : step === 'other' ? 'other (messages, bookkeeping; negative where steps overlap)' : step,
    ms: fmt(steps[step]!),
    'share of cached': pairedRatio(steps[step]!, steps.total!).toFixed(2),
    'vs floor': pairedRatio(steps[step]!, loads.floor).toFixed(2),
  }))
  stepRows.push({ step: 'floor: the same wllama, the same bytes from memory, wasm compiled', ms: fmt(loads.floor), 'share of cached': pairedRatio(loads.floor, steps.total!).toFixed(2), 'vs floor': '1.00' })
  const loadRows = [
    { load: 'cold over a 50 Mbit/s link: nothing stored (download shards + wasm, verify, load)', 'ms to first token': fmt(loads.coldLink), 'vs cached': pairedRatio(loads.coldLink, loads.cached).toFixed(2) },
    { load: 'cold over loopback', 'ms to first token': fmt(loads.cold), 'vs cached': pairedRatio(loads.cold, loads.cached).toFixed(2) },
    { load: 'cached: new client and worker, shards verified from OPFS (from the client\'s creation)', 'ms to first token': fmt(loads.cached), 'vs cached': '1.00' },
    { load: 'floor: the same wllama loading the same bytes from memory, wasm compiled', 'ms to first token': fmt(loads.floor), 'vs cached': pairedRatio(loads.floor, loads.cached).toFixed(2) },
    { load: 'warm: model already loaded in the worker', 'ms to first token': fmt(loads.warm), 'vs cached': pairedRatio(loads.warm, loads.cached).toFixed(2) },
  ]
  const bars: StartBars = {
    model: `${model.name}, ${megabytes.toFixed(1)} MB`,
    steps: Object.fromEntries([...STEPS, 'other' as const].map((step) => [step, median(steps[step]!)])),
    cached: median(loads.cached),
    floor: median(loads.floor),
    coldLink: median(loads.coldLink),
  }
  const markdown = `### ${model.name} (${megabytes.toFixed(1)} MB of shards)\n\n${table(loadRows)}\n\nThe cached start, step by step (medians; steps timed in the worker and the page):\n\n${table(stepRows)}\n\n${table(targets)}`
  return { loadRows, stepRows, targets, bars, markdown }
}

const fmt = (values: number[]) => `${median(values).toFixed(0)} ±${spread(values).toFixed(0)}`

export async function open(context: Awaited<ReturnType<typeof launchChromium>>['context'], server: IsolatedServer): Promise<Page> {
  const page = await context.newPage()
  await page.goto(server.url)
  await page.waitForFunction(() => document.title === 'ready')
  return page
}

async function floor(page: Page, run: FloorRun): Promise<number> {
  return page.evaluate((r) => (window as unknown as { harness: Harness }).harness.floor(r), run)
}

export async function chat(page: Page, run: ChatRun): Promise<ChatResult> {
  const result = await page.evaluate((r) => (window as unknown as { harness: Harness }).harness.chat(r), run)
  if (result.error) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result
}

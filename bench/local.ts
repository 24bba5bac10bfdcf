// The local route's start in Chromium: a cold load (nothing stored) against a cached one and its
// floor, side by side in one run. Decode speed is `local-decode.ts`.
import { ensureTinyModel } from '@tandem/models/node'
import { rm } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { buildHarness, launchChromium, startIsolatedServer, type ChatResult, type ChatRun, type FloorRun, type Harness, type IsolatedServer } from '../scripts/browser-harness/index.ts'
import { breakdown, STEPS } from './cached-start.ts'
import { median, pairedRatio, spread, table } from './stats.ts'

/** 50 Mbit/s, a common broadband link: loopback makes an 8 MB download look free. */
const LINK_BYTES_PER_SECOND = 50e6 / 8

export async function benchLocal({ repetitions = 5 } = {}) {
  const files = await ensureTinyModel()
  const dist = await buildHarness()
  const server = await startIsolatedServer({ root: dist, models: files.dir })
  let variant = ''
  const loads = { cold: [] as number[], coldLink: [] as number[], cached: [] as number[], warm: [] as number[], floor: [] as number[] }
  const steps: Record<string, number[]> = {}

  try {
    // Each round: a fresh browser profile (a first visit: no model, no cached wasm; the wasm may
    // come from the HTTP cache on the loopback visit), then the same profile with a new worker
    // (a returning visit).
    for (let round = 0; round <= repetitions; round++) {
      const browser = await launchChromium()
      try {
        const page = await open(browser.context, server)
        // Greedy, and on past the end of the turn, so every run is exactly max_tokens long.
        const request = { messages: [{ role: 'user' as const, content: 'hello' }], temperature: 0, ignore_eos: true }
        // A first visit over a 50 Mbit/s link (shards and wllama's wasm paced), then again over loopback.
        server.throttle(LINK_BYTES_PER_SECOND)
        const coldLink = await chat(page, { request: { ...request, max_tokens: 1 } }).finally(() => server.throttle(undefined))
        await page.evaluate(() => (window as unknown as { harness: Harness }).harness.clearStorage({ runtime: true }))
        const cold = await chat(page, { request: { ...request, max_tokens: 1 } })
        variant = cold.plan.local?.variant ?? variant
        // A returning visit: a new client and worker, from the client's creation (its plan starts the worker) to the first token.
        const cached = await chat(page, { request: { ...request, max_tokens: 1 }, repeat: 2, keepOpen: true })
        const cachedSteps = await breakdown(page, cached)
        // The floor: the same wllama loading the same bytes from memory, its wasm compiled by the first call.
        const floorRun = { variant: cached.plan.local!.variant, request: { ...request, max_tokens: 1 }, wasm: 'http' as const }
        await floor(page, floorRun)
        const floorMs = await floor(page, floorRun)
        if (round === 0) continue // warm-up
        loads.cold.push(cold.rounds[0]!.firstContentMs)
        loads.coldLink.push(coldLink.rounds[0]!.firstContentMs)
        loads.cached.push(cachedSteps.total)
        loads.floor.push(floorMs)
        for (const [name, ms] of Object.entries(cachedSteps)) (steps[name] ??= []).push(ms)
        loads.warm.push(cached.rounds[1]!.firstContentMs)
      } finally {
        await browser.close()
      }
    }
  } finally {
    await server.close()
    await rm(dist, { recursive: true, force: true })
  }

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
  return {
    name: `local route start: tiny Grok-2 ${variant} in Chromium (wllama wasm, SwiftShader has no shader-f16)`,
    rows: { load: loadRows, cachedStart: stepRows, targets },
    markdown: `${table(loadRows)}\n\nThe cached start, step by step (medians; steps timed in the worker and the page):\n\n${table(stepRows)}\n\n${table(targets)}`,
  }
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

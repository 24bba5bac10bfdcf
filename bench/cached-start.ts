// A cached start broken into its steps: the worker's own `tandem:*` measures (User Timing, read
// from the worker with Playwright) and the page's times, on one clock (epoch ms).
import type { Page } from 'playwright-core'
import type { ChatResult, Harness } from '../scripts/browser-harness/index.ts'

export interface Span {
  name: string
  start: number
  end: number
}

/** The steps, in the order they happen; `opfs read` and `sha-256` run per shard, in parallel: each is the span from the first start to the last end. */
export const STEPS = [
  'plan, worker start',
  'manifest',
  'opfs read',
  'sha-256',
  'wasm fetch',
  'wllama worker, wasm compile',
  'wllama start',
  'model load',
  'prompt eval, first token',
  'first token to the page',
] as const

/** ms per step of one cached start, and `total` from the client's creation to the first token on the page. */
export async function breakdown(page: Page, result: ChatResult): Promise<Record<(typeof STEPS)[number] | 'other' | 'total', number>> {
  const worker = page.workers().find((w) => /\/worker-[\w-]+\.js$/.test(w.url()))
  if (!worker) throw new Error('the tandem worker is gone: the chat must keep it open')
  // Each context's timeOrigin is its own estimate of the epoch: line the worker's up with the page's through Date.now().
  const skew = () => Date.now() - (performance.timeOrigin + performance.now())
  const pageSkew = await page.evaluate(skew)
  const { workerSkew, measures } = await worker.evaluate(() => ({
    workerSkew: Date.now() - (performance.timeOrigin + performance.now()),
    measures: performance
      .getEntriesByType('measure')
      .filter((e) => e.name.startsWith('tandem:'))
      .map((e) => ({ name: e.name.slice('tandem:'.length), start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.startTime + e.duration })),
  }))
  const shift = workerSkew - pageSkew
  const spans: Span[] = measures.map((m) => ({ ...m, start: m.start + shift, end: m.end + shift }))
  await page.evaluate(() => (window as unknown as { harness: Harness }).harness.close())
  const firstToken = result.rounds[0]!.at + result.rounds[0]!.firstContentMs
  // Only this start's steps: a warm round after it measures its own prompt.
  const span = (name: string) => {
    const mine = spans.filter((s) => s.name === name && s.start < firstToken)
    if (mine.length === 0) throw new Error(`the worker measured no "${name}" before the first token (it measured: ${spans.map((s) => `${s.name} ${(s.start - firstToken).toFixed(0)}..${(s.end - firstToken).toFixed(0)}`).join(", ")})`)
    return { start: Math.min(...mine.map((s) => s.start)), end: Math.max(...mine.map((s) => s.end)) }
  }
  const steps = {
    'plan, worker start': span('worker start').end - result.startedAt,
    'first token to the page': firstToken - span('prompt eval, first token').end,
    ...Object.fromEntries(STEPS.slice(1, -1).map((name) => [name, duration(span(name))])),
  } as Record<(typeof STEPS)[number], number>
  const total = firstToken - result.startedAt
  // Steps overlap (the wasm fetch runs beside the reads) or leave gaps (messages, the load's bookkeeping).
  const other = total - STEPS.reduce((sum, name) => sum + steps[name], 0)
  return { ...steps, other, total }
}

const duration = (s: { start: number; end: number }) => s.end - s.start

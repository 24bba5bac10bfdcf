// How long a page author waits: from `npm start` (the whole stack, builds already there) to the first token on
// starters/page, served on its own origin, through the gateway and on the device (cold: worker, wasm and shards
// fetched from the stack's /embed/ and /models/). Prints each step's time since `npm start` began.
//   npm exec -- tsx --conditions=@tandem/source bench/start-to-first-token.ts
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createInterface } from 'node:readline'
import type { Page } from 'playwright-core'
import { launchChromium } from '../scripts/browser-harness/index.ts'
import { root } from '../scripts/processes.ts'

const PAGE_ORIGIN = 'http://127.0.0.1:9000'
const started = performance.now()
const since = () => Math.round(performance.now() - started)

const stack = spawn('npm', ['start', '--', '--allow-origin', PAGE_ORIGIN], { cwd: root(''), stdio: ['ignore', 'pipe', 'inherit'], detached: true })
const ready = await new Promise<number>((resolve, reject) => {
  createInterface({ input: stack.stdout }).on('line', (line) => {
    if (line.includes('Ctrl-C stops everything')) resolve(since())
  })
  stack.once('exit', (code) => reject(new Error(`npm start exited (${code})`)))
})

const html = await readFile(root('starters/page/index.html'))
const site = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)).listen(9000, '127.0.0.1')
const browser = await launchChromium()
try {
  const timings: Record<string, number> = { 'stack ready': ready }
  for (const chat of ['#remote', '#local']) {
    const opened = since()
    const page = await browser.context.newPage()
    await page.goto(PAGE_ORIGIN)
    timings[`${chat} first token`] = await firstToken(page, chat)
    timings[`${chat}: page opened to first token`] = timings[`${chat} first token`]! - opened
    await page.close()
  }
  console.log(Object.entries(timings).map(([step, ms]) => `${step}: ${(ms / 1000).toFixed(2)} s${step.includes(':') ? '' : ' after npm start'}`).join('\n'))
} finally {
  await browser.close()
  site.close()
  process.kill(-stack.pid!, 'SIGTERM')
}

async function firstToken(page: Page, chat: string): Promise<number> {
  await page.locator(`${chat} textarea`).fill('Say something.')
  await page.locator(`${chat} textarea`).press('Enter')
  await page.waitForFunction((selector) => (document.querySelector(selector)?.shadowRoot?.querySelector('.assistant')?.textContent ?? '').trim() !== '', chat, { timeout: 120_000, polling: 'raf' })
  return since()
}

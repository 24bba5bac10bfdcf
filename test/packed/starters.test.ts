// The starters as users get them: each copied into a new folder outside the repository, the packed tarballs installed
// there with npm, and run for real against a native-server on the tiny Grok-2 and the gateway in workerd. Every folder
// first proves that its @tandem packages resolve inside itself, never back into this repository.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureTinyModel } from '@tandem/models/node'
import { launchChromium, startIsolatedServer, type IsolatedServer } from '../../scripts/browser-harness/index.ts'
import { closeAll, gatewayEnv, keys, metric, sha256, spawnUpstream, startWorkerdGateway, UPSTREAM_KEY, WEB_ORIGIN, type Gateway, type UpstreamProcess } from '../edge/harness.ts'
import { freePort } from '../native-server/native-process.ts'
import { tarballs } from './tarballs.ts'
import { REPOSITORY, userFolder, type UserFolder } from './user-folder.ts'

/** The development publishable key `npm start` gives the gateway, which starters/page uses verbatim. */
const DEV_PUBLISHABLE_KEY = 'pk_dev_demo'

let packed: Map<string, string>
let modelsDir: string
let native: UpstreamProcess | undefined
const folders: UserFolder[] = []
const servers: IsolatedServer[] = []
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined

/** The tarballs of these packages and of the @tandem packages they depend on, as `npm i ./tandem-*.tgz` would take them. */
function tarballsFor(...names: string[]): string[] {
  const needs: Record<string, string[]> = {
    '@tandem/sdk': ['@tandem/models', '@tandem/protocol'],
    '@tandem/local-worker': ['@tandem/models', '@tandem/protocol'],
    '@tandem/chat-element': ['@tandem/sdk', '@tandem/models', '@tandem/protocol'],
    '@tandem/edge': ['@tandem/protocol'],
    '@tandem/ai-sdk': ['@tandem/sdk', '@tandem/models', '@tandem/protocol'],
  }
  const all = new Set(names.flatMap((name) => [name, ...(needs[name] ?? [])]))
  return [...all].map((name) => packed.get(name)!)
}

async function install(starter: string, ...packages: string[]): Promise<UserFolder> {
  const folder = await userFolder(starter, tarballsFor(...packages))
  folders.push(folder)
  // Nothing may come from the workspace: each package is a real folder under this one.
  const resolved = await folder.resolve(packages)
  for (const path of resolved) expect(path.startsWith(`${folder.dir}/node_modules/`), `${path} is outside ${folder.dir}`).toBe(true)
  return folder
}

/** Every file under `dir` (a build's output) that names the repository's path: a bundle that reached back into it. */
async function filesNamingTheRepository(dir: string): Promise<string[]> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())
  const naming = await Promise.all(files.map(async (entry) => ((await readFile(join(entry.parentPath, entry.name), 'latin1')).includes(REPOSITORY) ? entry.name : undefined)))
  return naming.filter((name) => name !== undefined)
}

async function startGateway(origins: string[]): Promise<Gateway> {
  return startWorkerdGateway(
    gatewayEnv([native!.url], {
      EDGE_UPSTREAM_KEY: UPSTREAM_KEY,
      EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'dev', sha256: sha256(DEV_PUBLISHABLE_KEY), origins, limits: { rpm: 100_000, tpm: 1e9 } }]),
    }),
  )
}

/** A new tab at `url`, collecting uncaught exceptions and console errors other than the browser's own failed-fetch lines. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|net::ERR_/.test(message.text())) problems.push(`console: ${message.text()}`)
  })
  await page.goto(url)
  return { page, problems }
}

beforeAll(async () => {
  packed = await tarballs()
  modelsDir = (await ensureTinyModel()).dir
  native = await spawnUpstream({ apiKey: UPSTREAM_KEY })
})

afterAll(async () => {
  await closeAll(browser, ...servers, native)
  await Promise.all(folders.map((folder) => folder.remove()))
})

describe('starters/node-script', () => {
  it('streams an answer from native-server with @tandem/sdk from its tarball', async () => {
    const folder = await install('node-script', '@tandem/sdk')
    const { stdout } = await folder.run('node', ['ask.js', 'Say something.'], { TANDEM_BASE_URL: `${native!.url}/v1`, TANDEM_API_KEY: UPSTREAM_KEY })
    const [answer, route] = stdout.trimEnd().split('\n').slice(-2)
    expect(answer!.trim().length).toBeGreaterThan(0)
    expect(route).toBe('[route: remote]')
  })

  it('says which variable is missing instead of failing later', async () => {
    const folder = folders.at(-1)!
    await expect(folder.run('node', ['ask.js'])).rejects.toThrow(/set TANDEM_API_KEY/)
  })
})

describe('starters/edge-api and starters/gateway (wrangler from their own node_modules)', () => {
  let gateway: Gateway | undefined
  beforeAll(async () => {
    gateway = await startGateway([WEB_ORIGIN]) // no page here; a key needs an origin
  })
  afterAll(() => gateway?.close())

  it('edge-api: a Worker with @tandem/sdk streams an answer from the gateway, and names a bad field', async () => {
    const folder = await install('edge-api', '@tandem/sdk')
    await writeFile(join(folder.dir, '.dev.vars'), `TANDEM_API_KEY=${keys.secret}\n`)
    const port = await freePort()
    const wrangler = await folder.start(
      'node',
      ['node_modules/wrangler/bin/wrangler.js', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0', '--var', `TANDEM_GATEWAY:${gateway!.url}/v1`, '--show-interactive-dev-session=false'],
      (line) => (/Ready on (http:\/\/\S+)/.exec(line) ? `http://127.0.0.1:${port}` : undefined),
      { WRANGLER_SEND_METRICS: 'false', CI: '1' },
    )
    try {
      const response = await fetch(`${wrangler.url}/chat`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'Say something.' }] }) })
      expect(response.status, await response.clone().text()).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/event-stream')
      expect(response.headers.get('x-tandem-route')).toBe('remote')
      const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('data: {'))
      const text = events.map((event) => (JSON.parse(event.slice('data: '.length)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '').join('')
      expect(events.length).toBeGreaterThan(1) // streamed, not one block
      expect(text.trim().length).toBeGreaterThan(0)

      const bad = await fetch(`${wrangler.url}/chat`, { method: 'POST', body: JSON.stringify({ messages: 'hello' }) })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/messages/)
    } finally {
      await wrangler.stop()
    }
  })

  it('gateway: a wrangler.toml of the user’s own deploys @tandem/edge from the package (dry run), and says its size', async () => {
    const folder = await install('gateway', '@tandem/edge')
    const { stdout } = await folder.run('node', ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', 'dist'], { WRANGLER_SEND_METRICS: 'false', CI: '1' })
    const size = /Total Upload:\s*([\d.]+ KiB) \/ gzip:\s*([\d.]+ KiB)/.exec(stdout)
    expect(size, stdout).not.toBeNull()
    console.log(`starters/gateway: wrangler deploy --dry-run: ${size![1]}, ${size![2]} gzipped`)
    expect(stdout).toMatch(/RATE_LIMITER.*RateLimiterObject/s)
    expect(await filesNamingTheRepository(join(folder.dir, 'dist'))).toEqual([])
  })
})

describe('the browser starters, in Chromium', () => {
  let gateway: Gateway | undefined
  let pageFolder: UserFolder
  let cdn: IsolatedServer
  let site: IsolatedServer
  let app: IsolatedServer

  beforeAll(async () => {
    let vite: UserFolder
    ;[pageFolder, vite] = await Promise.all([install('page', '@tandem/chat-element'), install('vite-app', '@tandem/sdk', '@tandem/local-worker')])
    // The page's host serves the drop-in build from the installed package (as a CDN would) and the model's shards.
    cdn = await startIsolatedServer({ root: pageFolder.dir, models: modelsDir, embed: join(pageFolder.dir, 'node_modules/@tandem/chat-element/dist') })
    site = await startIsolatedServer({ root: pageFolder.dir, models: modelsDir })
    servers.push(cdn, site)
    // The page as shipped, pointed at this run's ports instead of `npm start`'s.
    const html = await readFile(join(pageFolder.dir, 'index.html'), 'utf8')
    await writeFile(join(pageFolder.dir, 'index.html'), html.replaceAll('http://127.0.0.1:8080', cdn.url).replaceAll('http://127.0.0.1:8787', '__GATEWAY__'))

    await vite.run('node_modules/.bin/tsc', ['--noEmit'])
    await vite.run('node_modules/.bin/vite', ['build', '--logLevel', 'error'])
    expect(await filesNamingTheRepository(join(vite.dir, 'dist'))).toEqual([])
    app = await startIsolatedServer({ root: join(vite.dir, 'dist'), models: modelsDir })
    servers.push(app)

    gateway = await startGateway([site.url])
    await writeFile(join(pageFolder.dir, 'index.html'), (await readFile(join(pageFolder.dir, 'index.html'), 'utf8')).replaceAll('__GATEWAY__', gateway.url))
    browser = await launchChromium()
  })
  afterAll(() => gateway?.close())

  /** Sends `text` in one <tandem-chat> and returns what a person reads: the answer and the route badge. */
  async function ask(page: Page, chat: string, text: string): Promise<{ answer: string; route: string }> {
    // Greedy: sampled, the tiny model now and then ends its turn at once (about 1 answer in 30 to
    // 'Say something.'), and an empty answer shows only a note saying so.
    await page.locator(chat).evaluate((element) => Object.assign(element, { requestOptions: { temperature: 0 } }))
    await page.locator(`${chat} textarea`).fill(text)
    await page.locator(`${chat} textarea`).press('Enter')
    await page.waitForFunction((selector) => document.querySelector(selector)!.hasAttribute('busy'), chat)
    await page.waitForFunction((selector) => !document.querySelector(selector)!.hasAttribute('busy'), chat, { timeout: 90_000 })
    const error = page.locator(`${chat} [role=alert]`)
    expect(await error.isVisible() ? await error.innerText() : '').toBe('')
    return { answer: (await page.locator(`${chat} .assistant`).last().innerText()).trim(), route: await page.locator(`${chat} .route`).innerText() }
  }

  it('page: the drop-in script from another origin answers through the gateway, and on the device from the models there', async () => {
    const { page, problems } = await open(site.url)
    try {
      expect(new URL(cdn.url).origin).not.toBe(new URL(site.url).origin)
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
      const workerFetches = () => cdn.requests.filter((request) => request.path.endsWith('/tandem-worker.js')).length

      const remote = await ask(page, '#remote', 'Say something.')
      expect(remote.route).toBe('route: remote')
      expect(remote.answer.length).toBeGreaterThan(0)
      expect(workerFetches()).toBe(0) // the worker is fetched only for the local route

      const local = await ask(page, '#local', 'Say something.')
      expect(local.route).toBe('route: local')
      expect(local.answer.length).toBeGreaterThan(0)
      expect(workerFetches()).toBe(1)
      expect(cdn.requests.some((request) => request.path === '/models/grok-2-tiny.manifest.json')).toBe(true)

      // Loaded twice (another URL, so the module runs again): one definition, no error.
      await page.evaluate((src) => new Promise((resolve, reject) => document.head.append(Object.assign(document.createElement('script'), { type: 'module', src, onload: resolve, onerror: reject }))), `${cdn.url}/embed/tandem-chat.js?again`)
      expect(await page.evaluate(() => document.querySelectorAll('tandem-chat').length)).toBe(2)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('page: an origin the key does not allow reads a refusal naming the origin and the setting, and nothing reaches native-server', async () => {
    const elsewhere = await startIsolatedServer({ root: pageFolder.dir, models: modelsDir })
    servers.push(elsewhere)
    const requestsBefore = await metric(native!, 'tandem_requests_total')
    const { page: tab } = await open(elsewhere.url)
    try {
      await tab.locator('#remote textarea').fill('Say something.')
      await tab.locator('#remote textarea').press('Enter')
      const alert = tab.locator('#remote [role=alert]')
      await alert.waitFor({ state: 'visible', timeout: 30_000 })
      const text = await alert.innerText()
      expect(text).toContain(elsewhere.url)
      expect(text).toMatch(/--allow-origin/)
      expect(await metric(native!, 'tandem_requests_total')).toBe(requestsBefore)
    } finally {
      await tab.close()
    }
  })

  it('page: a tampered shard on the models host is refused by its SHA-256 and never run', async () => {
    const shard = '/models/grok-2-tiny-q8_0-00002-of-00003.gguf'
    const tampered = Buffer.from(await readFile(join(modelsDir, shard.slice('/models/'.length))))
    tampered[tampered.length >> 1]! ^= 0xff
    const restore = cdn.put(shard, tampered)
    const fresh = await launchChromium() // a new profile: nothing cached from the test before
    try {
      const page = await fresh.context.newPage()
      await page.goto(site.url)
      await page.locator('#local textarea').fill('Say something.')
      await page.locator('#local textarea').press('Enter')
      const alert = page.locator('#local [role=alert]')
      await alert.waitFor({ state: 'visible', timeout: 60_000 })
      expect(await alert.innerText()).toMatch(/does not match the SHA-256 in its manifest/)
      expect(await page.locator('#local .assistant').count()).toBe(0)
    } finally {
      restore()
      await fresh.close()
    }
  })

  it('vite-app: built from the tarballs (tsc against their .d.ts), its local worker answers in Chromium', async () => {
    const { page, problems } = await open(app.url)
    try {
      await page.locator('button').click()
      await page.waitForFunction(() => document.querySelector('#route')!.textContent !== 'none yet' && !document.querySelector('button')!.disabled, undefined, { timeout: 90_000 })
      expect(await page.locator('#route').innerText()).toBe('local')
      const answer = await page.locator('#answer').innerText()
      expect(answer).not.toMatch(/^Failed/)
      expect(answer.trim().length).toBeGreaterThan(0)
      expect(app.requests.some((request) => request.path.endsWith('.wasm'))).toBe(true)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})

describe('starters/react-chat, in Chromium', () => {
  let gateway: Gateway | undefined
  let app: IsolatedServer

  beforeAll(async () => {
    const folder = await install('react-chat', '@tandem/ai-sdk', '@tandem/local-worker')
    // The app's origin is known before its build, so the gateway can allow it and the build can name the gateway.
    const dist = join(folder.dir, 'dist')
    await mkdir(dist)
    app = await startIsolatedServer({ root: dist, models: modelsDir })
    servers.push(app)
    gateway = await startGateway([app.url])
    await folder.run('node_modules/.bin/tsc', ['--noEmit'])
    await folder.run('node_modules/.bin/vite', ['build', '--logLevel', 'error'], { VITE_TANDEM_GATEWAY: `${gateway.url}/v1`, VITE_TANDEM_PUBLISHABLE_KEY: DEV_PUBLISHABLE_KEY })
    expect(await filesNamingTheRepository(dist)).toEqual([])
    browser ??= await launchChromium()
  })
  afterAll(() => gateway?.close())

  it.each([
    ['local', ''],
    ['remote', '?route=remote-only'],
  ])('useChat on TandemChatTransport answers on the %s route, and the message says which', async (route, query) => {
    const { page, problems } = await open(`${app.url}/${query}`)
    try {
      await page.getByRole('button', { name: 'Send' }).click()
      await page.locator('.assistant .route').waitFor({ timeout: 90_000 })
      expect(await page.locator('[role=alert]').count()).toBe(0)
      expect(await page.locator('.assistant .route').innerText()).toBe(`route: ${route}`)
      expect((await page.locator('.assistant p').innerText()).trim().length).toBeGreaterThan(0)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })
})

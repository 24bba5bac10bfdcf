// Multi-byte characters end to end: the scripted model answers SCRIPT (2-, 3- and 4-byte UTF-8
// characters, one token per byte), so every character is split across tokens, and chunks cut
// wherever they fall. Each route, and the failover join, must give the exact text.
import { silentLogger, startNativeServer, type NativeServer } from '@tandem/native-server'
import OpenAI from 'openai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildHarness, launchChromium, startIsolatedServer, type ChatResult, type ChatRun, type IsolatedServer } from '../../scripts/browser-harness/index.ts'
import { gatewayEnv, keys, sha256, startWorkerdGateway, type Gateway } from '../edge/harness.ts'
import { streamedContent } from '../streamed-content.ts'
import { SCRIPT, ensureScriptedModel } from './scripted-model.ts'

const request = { messages: [{ role: 'user' as const, content: 'Say it.' }], temperature: 0 }
const model = 'grok-2-tiny'

let dir: string
let native: NativeServer
let gateway: Gateway

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-scripted-'))
  const files = await ensureScriptedModel(dir)
  native = await startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 1024, parallel: 2, streamIntervalMs: 0, model: [{ name: model, source: files.f16Path }], logger: silentLogger })
}, 120_000)

afterAll(async () => {
  await gateway?.close()
  await native?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** A streamed answer through the `openai` client. */
async function streamed(client: OpenAI): Promise<{ text: string; pieces: number }> {
  return streamedContent(await client.chat.completions.create({ model, ...request, stream: true }))
}

describe('native-server', () => {
  const client = () => new OpenAI({ baseURL: `${native.url}/v1`, apiKey: 'unused' })

  it('streams multi-byte characters whole, a chunk per token (each character spans several tokens)', async () => {
    const { text, pieces } = await streamed(client())
    expect(text).toBe(SCRIPT)
    expect(pieces).toBeGreaterThanOrEqual([...SCRIPT].length)
  })

  it('answers them in one message', async () => {
    const completion = await client().chat.completions.create({ model, ...request })
    expect(completion.choices[0]!.message.content).toBe(SCRIPT)
    // One token per byte, and the end of the turn.
    expect(completion.usage!.completion_tokens).toBe(new TextEncoder().encode(SCRIPT).length + 1)
  })
})

describe('the gateway in workerd', () => {
  beforeAll(async () => {
    gateway = await startWorkerdGateway(gatewayEnv([native.url], { EDGE_LOG_LEVEL: 'error' }))
  }, 120_000)

  it('relays them byte for byte', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: keys.secret })
    expect((await streamed(client)).text).toBe(SCRIPT)
  })
})

describe('the local route in Chromium, and the failover join', () => {
  let dist: string
  let server: IsolatedServer
  let browser: Awaited<ReturnType<typeof launchChromium>>
  let page: Page
  let pageGateway: Gateway
  const chat = (run: ChatRun) =>
    page.evaluate((run) => (window as unknown as { harness: { chat(run: ChatRun): Promise<ChatResult> } }).harness.chat(run), run)

  beforeAll(async () => {
    dist = await buildHarness()
    server = await startIsolatedServer({ root: dist, models: dir })
    pageGateway = await startWorkerdGateway(
      gatewayEnv([native.url], {
        EDGE_CORS_ORIGINS: server.url,
        EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'web', sha256: sha256(keys.publishable), origins: [server.url], limits: { rpm: 100_000, tpm: 1e9 } }]),
        EDGE_LOG_LEVEL: 'error',
      }),
    )
    browser = await launchChromium()
    page = await browser.context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'ready')
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await pageGateway?.close()
    await server?.close()
    if (dist) await rm(dist, { recursive: true, force: true })
  })

  it('streams them whole from the worker (wllama)', async () => {
    const result = await chat({ route: 'local-only', request })
    expect(result.error).toBeUndefined()
    expect(result.chunks.every((c) => c.tandem?.route === 'local')).toBe(true)
    expect(result.text).toBe(SCRIPT)
    expect(result.chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1)
  })

  it('joins a local answer cut inside the text to its remote continuation exactly', async () => {
    // Cut after '<é→': the next bytes are 中's, then 🌍's four.
    const result = await chat({
      route: 'prefer-local',
      remote: { baseURL: `${pageGateway.url}/v1`, apiKey: keys.publishable },
      request,
      killWorkerAfterChars: 3,
    })
    expect(result.error).toBeUndefined()
    expect(result.routeChanges).toEqual([expect.objectContaining({ from: 'local', to: 'remote' })])
    const local = result.chunks.filter((c) => c.tandem?.route === 'local').map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(local.length).toBeGreaterThanOrEqual(3)
    expect(local.length).toBeLessThan(SCRIPT.length)
    expect(result.text).toBe(SCRIPT)
  })
})

import { ensureTinyModel } from '@tandem/models/node'
import { silentLogger, startNativeServer, type NativeServer } from '@tandem/native-server'
import { chatCompletionSchema } from '@tandem/protocol'
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { checkAnswer, isJsonPrefix, SCHEMAS } from '../structured/schemas.ts'
import { gatewayEnv, keys, metric, sha256, startWorkerdGateway, type Gateway } from '../edge/harness.ts'
import { buildHarness, launchChromium, startIsolatedServer, type ChatResult, type ChatRun, type Harness, type IsolatedServer } from '../../scripts/browser-harness/index.ts'

// Greedy and exactly max_tokens long (on past the end of the turn), so both routes can be compared token for token.
const HELLO = { messages: [{ role: 'user' as const, content: 'hello' }], max_tokens: 24, temperature: 0, ignore_eos: true }
// A call forced by tool_choice: the tiny model never learned tools, and the grammar makes it call all the same.
const DEFINE_WORD = {
  messages: [{ role: 'user' as const, content: 'What does the word "cat" mean?' }],
  tools: [{ type: 'function' as const, function: { name: 'define_word', parameters: { type: 'object', properties: { word: { type: 'string', maxLength: 24 } }, required: ['word'] } } }],
  tool_choice: 'required' as const,
  parallel_tool_calls: false,
  max_tokens: 120,
  seed: 2,
}

/** Every `delta.tool_calls` entry of a stream, in order. */
function toolCallDeltas(chunks: ChatResult['chunks']) {
  return chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
}

describe('the local runtime in Chromium (real worker, wllama, tiny Grok-2 shards)', () => {
  let dist: string
  let server: IsolatedServer
  let browser: Awaited<ReturnType<typeof launchChromium>>
  let page: Page

  /** Calls `window.harness[name](...args)` in the page. */
  const call = <K extends keyof Harness>(name: K, ...args: Parameters<Harness[K]>) =>
    page.evaluate(({ name, args }) => (window as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness[name]!(...args), { name, args }) as Promise<Awaited<ReturnType<Harness[K]>>>
  const chat = (run: ChatRun): Promise<ChatResult> => call('chat', run)
  const shardRequests = () => server.requests.filter((r) => r.path.endsWith('.gguf'))

  beforeAll(async () => {
    const model = await ensureTinyModel()
    dist = await buildHarness()
    server = await startIsolatedServer({ root: dist, models: model.dir })
    browser = await launchChromium()
    page = await browser.context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(server.url)
    await page.waitForFunction(() => document.title === 'ready')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dist) await rm(dist, { recursive: true, force: true })
  })

  beforeEach(() => {
    server.requests.length = 0
  })

  it('is cross-origin isolated and sees SwiftShader: a fallback WebGPU adapter without shader-f16', async () => {
    expect(await call('crossOriginIsolated')).toBe(true)
    const device = await call('probe')
    expect(device.webgpu).toMatchObject({ isFallbackAdapter: true, shaderF16: false })
    expect(device.jspi && device.memory64).toBe(true)
  })

  it('keeps the device profile in IndexedDB for a day, reading online state and storage fresh', async () => {
    const { fromCache, first, second } = await call('probeThrice')
    expect(fromCache).toEqual([false, true, false])
    expect(second.webgpu).toEqual(first.webgpu)
    expect(second.webgpu).toMatchObject({ isFallbackAdapter: true })
  })

  it('downloads the shards with progress, verifies them, and streams a chat through the SDK on the wasm path', async () => {
    await call('clearStorage')
    const result = await chat({ request: HELLO })
    expect(result.error).toBeUndefined()
    expect(result.plan.route).toBe('local')
    expect(result.plan.local).toMatchObject({ backend: 'wasm', cached: false })
    expect(result.plan.reasons.join(' ')).toMatch(/software fallback: wasm on \d+ threads?/)
    const variant = result.plan.local!.variant

    const downloads = result.progress.filter((p) => p.stage === 'download')
    expect(downloads.length).toBeGreaterThan(0)
    const last = downloads.at(-1)!
    expect(last).toMatchObject({ model: 'grok-2-tiny', variant, fraction: 1, shardsDone: last.shardsTotal })
    expect(last.loadedBytes).toBe(last.totalBytes)
    expect(last.bytesPerSecond).toBeGreaterThan(0)
    expect(result.progress.at(-1)!.stage).toBe('load')
    expect(new Set(shardRequests().map((r) => r.path)).size).toBe(last.shardsTotal)

    const content = result.chunks.filter((c) => c.choices[0]?.delta.content)
    expect(content.length).toBeGreaterThan(0)
    expect(new Set(result.chunks.map((c) => c.id)).size).toBe(1)
    expect(result.chunks.every((c) => c.tandem?.route === 'local')).toBe(true)
    expect(result.chunks.at(-1)!.usage?.completion_tokens).toBe(content.length)
    expect(result.text).not.toContain('\uFFFD')
  })

  it('loads the second time from the cache (no shard requests), also with the browser offline', async () => {
    const cached = await chat({ request: HELLO })
    expect(cached.error).toBeUndefined()
    expect(cached.plan.local).toMatchObject({ cached: true })
    expect(shardRequests()).toEqual([])
    expect(cached.progress.some((p) => p.stage === 'download')).toBe(false)
    expect(cached.progress.some((p) => p.stage === 'verify')).toBe(true)

    await browser.context.setOffline(true)
    server.requests.length = 0
    try {
      const offline = await chat({ request: HELLO })
      expect(offline.error).toBeUndefined()
      expect(offline.plan.route).toBe('local')
      expect(offline.plan.reasons.join(' ')).toMatch(/offline/)
      expect(offline.text).toBe(cached.text) // greedy, same model, same prompt
      expect(server.requests).toEqual([]) // nothing reached the server: worker script, wasm, manifest and shards came from the browser
    } finally {
      await browser.context.setOffline(false)
    }
  })

  it('answers with JSON that validates against the response_format schema, on the local route', { timeout: 120_000 }, async () => {
    for (const name of ['person', 'tags'] as const) {
      const response_format = { type: 'json_schema' as const, json_schema: { name, schema: SCHEMAS[name] as unknown as Record<string, unknown> } }
      const result = await chat({ request: { messages: [{ role: 'user', content: 'Who are you?' }], max_tokens: 300, seed: 7, temperature: 1, response_format } })
      expect(result.error).toBeUndefined()
      expect(result.plan.route).toBe('local')
      expect(checkAnswer(SCHEMAS[name], result.text).errors).toEqual([])
      expect(result.chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop')
    }
  })

  it('marks each step of a cached load on the worker\'s User Timing timeline, which the bench breaks the start down by', async () => {
    const result = await chat({ request: { ...HELLO, max_tokens: 1 }, keepOpen: true })
    expect(result.error).toBeUndefined()
    const worker = page.workers().find((w) => /\/worker-[\w-]+\.js$/.test(w.url()))!
    const steps = await worker.evaluate(() => performance.getEntriesByType('measure').map((e) => e.name))
    await call('close')
    for (const step of ['worker start', 'manifest', 'opfs read', 'sha-256', 'wasm fetch', 'wllama worker, wasm compile', 'wllama start', 'model load', 'prompt eval, first token']) {
      expect(steps).toContain(`tandem:${step}`)
    }
  })

  it('detects a corrupted cached shard, deletes it and fetches it again before the engine sees it', async () => {
    const { manifest } = await ensureTinyModel()
    const before = await chat({ request: HELLO })
    const variant = before.plan.local!.variant
    const shard = manifest.variants.find((v) => v.id === variant)!.files[1]!
    await call('corruptShard', 'grok-2-tiny', variant, shard.name, 4096)
    server.requests.length = 0

    const after = await chat({ request: HELLO })
    expect(after.error).toBeUndefined()
    expect(shardRequests()).toEqual([{ path: `/models/${shard.name}`, range: undefined, status: 200 }])
    expect(after.text).toBe(before.text)
    const stored = await call('cache')
    expect(stored).toContainEqual({ model: 'grok-2-tiny', variant, bytes: manifest.variants.find((v) => v.id === variant)!.files.reduce((s, f) => s + f.bytes, 0), files: 3, complete: true })
  })

  it('resumes a download cut midway with an HTTP Range request', async () => {
    const { manifest } = await ensureTinyModel()
    await call('clearStorage')
    const variant = (await call('plan')).local!.variant
    const shard = manifest.variants.find((v) => v.id === variant)!.files[0]!
    server.cutNext(`/models/${shard.name}`, 300_000)

    const result = await chat({ request: HELLO })
    expect(result.error).toBeUndefined()
    const forShard = shardRequests().filter((r) => r.path === `/models/${shard.name}`)
    expect(forShard).toHaveLength(2)
    expect(forShard[0]).toMatchObject({ range: undefined, status: 200 })
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(forShard[1]!.range ?? '')?.[1])
    expect(resumedAt).toBeGreaterThan(0)
    expect(resumedAt).toBeLessThanOrEqual(300_000)
    expect(forShard[1]!.status).toBe(206)
    // the resumed shard passed its SHA-256 check: the engine loaded it and answered as before
    expect((await call('cache')).find((c) => c.variant === variant)?.complete).toBe(true)
  })

  it('resumes in a new worker the download a killed one left halfway', async () => {
    await call('clearStorage')
    server.throttle(2e6) // slow enough to stop midway
    const killed = await chat({ request: HELLO, killWorkerAtDownload: 0.3 }).finally(() => server.throttle(undefined))
    expect(killed.error?.code).toBe('local_unavailable')
    const partial = (await call('cache')).find((c) => c.model === 'grok-2-tiny')
    expect(partial?.complete).toBe(false)
    server.requests.length = 0

    const resumed = await chat({ request: HELLO })
    expect(resumed.error).toBeUndefined()
    const ranged = shardRequests().filter((r) => r.range)
    expect(ranged.length).toBeGreaterThan(0)
    expect(ranged.every((r) => r.status === 206)).toBe(true)
    expect(resumed.progress.find((p) => p.stage === 'download')!.loadedBytes).toBeGreaterThan(0)
  })

  it('never runs a shard that does not match its manifest', async () => {
    const { manifest } = await ensureTinyModel()
    const wrong = { ...manifest, variants: manifest.variants.map((v) => ({ ...v, files: v.files.map((f, i) => (i === 1 ? { ...f, sha256: '0'.repeat(64) } : f)) })) }
    const restore = server.put('/models/grok-2-tiny.manifest.json', JSON.stringify(wrong))
    const result = await chat({ request: HELLO }).finally(restore)
    expect(result.error).toMatchObject({ code: 'local_unavailable' })
    expect(result.error?.message).toMatch(/^the local route could not load grok-2-tiny \S+ from the models URL http:\/\/.*\/models\/: .* does not match the SHA-256 in its manifest$/)
    expect(result.progress.some((p) => p.stage === 'load')).toBe(false)
  })

  it('refuses a manifest that is not JSON, or names a shard twice, before any download', async () => {
    const { manifest } = await ensureTinyModel()
    await call('clearStorage')
    const twice = { ...manifest, variants: manifest.variants.map((v) => ({ ...v, files: [...v.files, v.files[0]!] })) }
    for (const [body, problem] of [
      ['{"model": "grok-2-tiny", ', /manifest\.json is not JSON$/],
      [JSON.stringify(twice), /names the shard "grok-2-tiny[\w.-]*\.gguf" twice/],
    ] as const) {
      server.requests.length = 0
      const restore = server.put('/models/grok-2-tiny.manifest.json', body)
      const result = await chat({ request: HELLO }).finally(restore)
      expect(result.error?.code).toBe('local_unavailable')
      expect(result.error?.message).toMatch(problem)
      expect(shardRequests()).toEqual([])
    }
  })

  it('fails with a clear quota error before downloading a variant the storage grant cannot hold', async () => {
    const { manifest } = await ensureTinyModel()
    const huge = { ...manifest, variants: manifest.variants.map((v) => ({ ...v, files: v.files.map((f) => ({ ...f, bytes: f.bytes * 1e6 })) })) }
    server.put('/huge/grok-2-tiny.manifest.json', JSON.stringify(huge))
    const result = await chat({ request: HELLO, modelsURL: '/huge/' })
    expect(result.error?.code).toBe('quota')
    expect(result.error?.message).toMatch(/^the local route could not load grok-2-tiny \S+ from the models URL http:\/\/.*\/huge\/: .*needs [\d.]+ MB more storage; the browser grants [\d.]+ MB/)
    expect(shardRequests()).toEqual([])
  })

  it('ends a download the storage quota cuts midway (a real QuotaExceededError) with quota, leaves no unfinished shard, and answers once the quota allows', async () => {
    await call('clearStorage')
    const { manifest } = await ensureTinyModel()
    const cdp = await browser.context.newCDPSession(page)
    const origin = new URL(server.url).origin
    const usage = async () => (await page.evaluate(() => navigator.storage.estimate())).usage ?? 0
    let result: ChatResult
    try {
      const before = await usage()
      server.throttle(256 * 1024) // per shard: ~11 s for the whole of one, time enough to cut it
      const chatting = chat({ request: HELLO })
      await expect.poll(usage, { timeout: 30_000, interval: 50 }).toBeGreaterThan(before + 256 * 1024)
      // The browser's own quota for this origin, lowered under the download's feet: the next write it cannot hold fails.
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: (await usage()) + 64 * 1024 })
      result = await chatting
    } finally {
      server.throttle(undefined)
      await cdp.send('Storage.overrideQuotaForOrigin', { origin }) // the browser's own quota again
      await cdp.detach()
    }
    expect(result.error?.code).toBe('quota')
    expect(result.error?.message).toMatch(/could not load grok-2-tiny \S+ .*storage quota for this site ran out during the download .*the unfinished shards were removed/)
    const variant = result.plan.local!.variant
    const expected = new Map(manifest.variants.find((v) => v.id === variant)!.files.map((f) => [f.name, f.bytes]))
    for (const stored of await call('storedFiles', 'grok-2-tiny', variant)) expect(stored.size).toBe(expected.get(stored.name))

    const again = await chat({ request: HELLO })
    expect(again.error).toBeUndefined()
    expect(again.text.length).toBeGreaterThan(0)
    expect((await call('storedFiles', 'grok-2-tiny', variant)).map((f) => f.size).sort()).toEqual([...expected.values()].sort())
  })

  it('streams a forced tool call on the local route: id and name first, then arguments that parse, and finish_reason tool_calls', async () => {
    const result = await chat({ request: DEFINE_WORD })
    expect(result.error).toBeUndefined()
    const deltas = toolCallDeltas(result.chunks)
    expect(deltas[0]).toMatchObject({ index: 0, id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: 'function', function: { name: 'define_word' } })
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.every((delta) => delta.index === 0)).toBe(true)
    const args = JSON.parse(deltas.map((delta) => delta.function?.arguments ?? '').join('')) as { word: unknown }
    expect(Object.keys(args)).toEqual(['word'])
    expect(typeof args.word).toBe('string')
    expect(result.chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls')
    expect(result.chunks.every((chunk) => chunk.tandem?.route === 'local')).toBe(true)
  })

  it('sends nothing of a call that max_tokens cuts inside `<tool_call>`, and ends at once on a strong logit_bias toward the separator, on the local route', async () => {
    const finish = (result: ChatResult) => result.chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason
    const content = (result: ChatResult) => result.chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    for (const max_tokens of [1, 2, 3]) {
      const cut = await chat({ request: { ...DEFINE_WORD, max_tokens } })
      expect([max_tokens, cut.error, content(cut), toolCallDeltas(cut.chunks).length, finish(cut)]).toEqual([max_tokens, undefined, '', 0, 'length'])
    }
    // 4095 is the tiny model's `<|separator|>`, the end of a turn.
    const ended = await chat({ request: { messages: HELLO.messages, max_tokens: 20, temperature: 0, logit_bias: { '4095': 100 } } })
    expect([ended.error, content(ended), finish(ended)]).toEqual([undefined, '', 'stop'])
  })

  it('lists, sizes and deletes cached models through tandem.cache', async () => {
    // Its own cached model: the manifest test before it clears the storage.
    expect((await chat({ request: { ...HELLO, max_tokens: 1 } })).error).toBeUndefined()
    const listed = await call('cache')
    expect(listed.length).toBeGreaterThan(0)
    for (const entry of listed) expect(entry.bytes).toBeGreaterThan(0)
    const after = await call('cache', { delete: { model: 'grok-2-tiny' } })
    expect(after).toEqual([])
    const plan = (await chat({ request: { ...HELLO, max_tokens: 1 } })).plan
    expect(plan.local?.cached).toBe(false)
  })

  describe('two tabs of one origin', () => {
    const openTab = async () => {
      const tab = await browser.context.newPage()
      await tab.goto(server.url)
      await tab.waitForFunction(() => document.title === 'ready')
      return tab
    }
    const chatIn = (tab: Page, run: ChatRun) => tab.evaluate((run) => (window as unknown as { harness: Harness }).harness.chat(run), run) as Promise<ChatResult>
    const until = async (done: () => boolean) => {
      while (!done()) await sleep(20)
    }

    it('asking for the same model at once download each shard once, and both answer', async () => {
      const { manifest } = await ensureTinyModel()
      await call('clearStorage')
      const [a, b] = [await openTab(), await openTab()]
      server.requests.length = 0
      server.throttle(4e6) // slow enough that the second asks while the first downloads
      try {
        const [one, two] = await Promise.all([chatIn(a, { request: HELLO }), chatIn(b, { request: HELLO })]).finally(() => server.throttle(undefined))
        expect(one.error).toBeUndefined()
        expect(two.error).toBeUndefined()
        expect(two.text).toBe(one.text)
        const files = manifest.variants.find((v) => v.id === one.plan.local!.variant)!.files
        expect(shardRequests().map((r) => r.path).sort()).toEqual(files.map((f) => `/models/${f.name}`).sort())
        expect(shardRequests().every((r) => r.status === 200)).toBe(true)
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('a tab closed mid-download leaves the rest to the other, which resumes it and answers', async () => {
      const expected = await chat({ request: HELLO })
      await call('clearStorage')
      const [closing, staying] = [await openTab(), await openTab()]
      server.requests.length = 0
      server.throttle(2e6)
      try {
        const abandoned = chatIn(closing, { request: HELLO }).catch(() => undefined)
        await until(() => shardRequests().length > 0)
        await sleep(500) // partway into the first shards
        const answer = chatIn(staying, { request: HELLO })
        await sleep(200)
        await closing.close()
        await abandoned
        const result = await answer
        expect(result.error).toBeUndefined()
        expect(result.text).toBe(expected.text)
        const resumed = shardRequests().filter((r) => r.range)
        expect(resumed.length).toBeGreaterThan(0)
        expect(resumed.every((r) => r.status === 206)).toBe(true)
        expect((await call('cache')).find((c) => c.variant === result.plan.local!.variant)?.complete).toBe(true)
      } finally {
        server.throttle(undefined)
        await staying.close()
      }
    })
  })

  describe('failing over to a real native-server through the real gateway (workerd)', () => {
    let native: NativeServer
    let gateway: Gateway
    // The page's own origin, and the browser's kind of key: publishable, bound to that origin.
    const remote = () => ({ baseURL: `${gateway.url}/v1`, apiKey: keys.publishable })

    beforeAll(async () => {
      native = await startNativeServer({ host: '127.0.0.1', port: 0, threads: 1, gpu: 'cpu', contextSize: 1024, parallel: 2, logger: silentLogger })
      gateway = await startWorkerdGateway(
        gatewayEnv([native.url], {
          EDGE_CORS_ORIGINS: server.url,
          EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'web', sha256: sha256(keys.publishable), origins: [server.url], limits: { rpm: 100_000, tpm: 1e9 } }]),
          EDGE_LOG_LEVEL: 'error',
        }),
      )
    })

    afterAll(async () => {
      await gateway?.close()
      await native?.close()
    })

    it('continues the answer remotely when the worker is killed mid-stream: one id, one route event, prefix + continuation exactly', async () => {
      const request = { ...HELLO, max_tokens: 40 }
      const result = await chat({ route: 'prefer-local', remote: remote(), request, killWorkerAfterChars: 6, repeat: 2 })
      expect(result.error).toBeUndefined()
      const first = result.chunks.slice(0, result.chunks.findIndex((c) => c.usage) + 1)
      const local = first.filter((c) => c.tandem?.route === 'local')
      const continued = first.filter((c) => c.tandem?.route === 'remote')
      expect(local.length).toBeGreaterThan(0)
      expect(continued.length).toBeGreaterThan(0)
      expect(first.every((c) => c.tandem?.route === 'local') || first.findIndex((c) => c.tandem?.route === 'remote') === local.length).toBe(true)
      expect(new Set(first.map((c) => c.id))).toEqual(new Set([local[0]!.id]))

      const localText = local.map((c) => c.choices[0]?.delta.content ?? '').join('')
      const remoteText = continued.map((c) => c.choices[0]?.delta.content ?? '').join('')
      expect(result.killedAtChars).toBeGreaterThanOrEqual(6)
      expect(result.routeChanges).toEqual([expect.objectContaining({ from: 'local', to: 'remote', code: 'local_unavailable', continuedAt: localText.length, model: 'grok-2-tiny' })])
      expect(continued[0]!.tandem?.reason).toMatch(/local worker stopped.*continued on the remote route/)

      // The same continuation, asked of native-server directly: the joined answer is exactly prefix + continuation.
      const localTokens = local.filter((c) => c.choices[0]?.delta.content).length
      const direct = await fetch(`${native.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'grok-2-tiny', ...request, max_tokens: request.max_tokens - localTokens, messages: [...request.messages, { role: 'assistant', content: localText, prefix: true }] }),
      })
      const completion = chatCompletionSchema.parse(await direct.json())
      expect(remoteText).toBe(completion.choices[0]!.message.content)
      expect(first.at(-1)!.usage!.completion_tokens).toBe(localTokens + completion.usage.completion_tokens)

      // The dead worker was replaced for the next request, which ran locally again.
      expect(result.workersStarted).toBe(2)
      const second = result.chunks.slice(first.length)
      expect(second.length).toBeGreaterThan(0)
      expect(second.every((c) => c.tandem?.route === 'local')).toBe(true)
    })

    it('never continues a JSON answer elsewhere: killed mid-JSON, the stream ends with the error, saying why, and no remote text', { timeout: 120_000 }, async () => {
      const response_format = { type: 'json_schema' as const, json_schema: { name: 'person', schema: SCHEMAS.person as unknown as Record<string, unknown> } }
      const before = await metric(native, 'tandem_requests_total')
      const result = await chat({ route: 'prefer-local', remote: remote(), request: { messages: [{ role: 'user', content: 'Who are you?' }], max_tokens: 300, seed: 7, temperature: 1, response_format }, killWorkerAfterChars: 6 })
      expect(result.killedAtChars).toBeGreaterThanOrEqual(6)
      expect(result.error).toMatchObject({ code: 'local_unavailable', message: expect.stringContaining('an answer under response_format "json_schema" cannot be continued on another route: send the request again') })
      expect(result.routeChanges).toEqual([])
      expect(result.chunks.every((c) => c.tandem?.route === 'local')).toBe(true)
      expect(isJsonPrefix(result.text)).toBe(true)
      expect(await metric(native, 'tandem_requests_total')).toBe(before)
    })

    it('takes the remote route once this device measured the local one below minLocalTokensPerSecond, and says so', async () => {
      const measured = await chat({ route: 'prefer-local', remote: remote(), request: HELLO })
      expect(measured.plan.route).toBe('local')
      const fast = await chat({ route: 'prefer-local', remote: remote(), request: HELLO, minLocalTokensPerSecond: 1 })
      expect(fast.plan.route).toBe('local')
      expect(fast.plan.reasons).toContainEqual(expect.stringMatching(/; it ran at [\d.]+ tokens\/s on wasm here \(first token after \d+ ms\)$/))
      const slow = await chat({ route: 'prefer-local', remote: remote(), request: HELLO, minLocalTokensPerSecond: 1e6 })
      expect(slow.error).toBeUndefined()
      expect(slow.plan.route).toBe('remote')
      expect(slow.plan.reasons).toContainEqual(expect.stringMatching(/^grok-2-tiny \w+ ran at [\d.]+ tokens\/s on wasm here \(first token after \d+ ms\), below options\.local\.minLocalTokensPerSecond \(1000000\)$/))
      expect(slow.text.length).toBeGreaterThan(0)
      expect(slow.chunks.some((c) => c.tandem?.route === 'local')).toBe(false)
    })

    it('answers through the gateway when a first load runs past localTimeoutMs, says why, and the next request runs on the model that kept loading', async () => {
      await call('clearStorage')
      const before = await metric(native, 'tandem_requests_total')
      server.throttle(2e6) // the 8 MB download takes seconds: far past the watchdog
      const result = await chat({ route: 'prefer-local', remote: remote(), request: HELLO, localTimeoutMs: 300, repeat: 2, awaitLoad: true }).finally(() => server.throttle(undefined))
      expect(result.error).toBeUndefined()
      expect(result.plan.local).toMatchObject({ cached: false, watchdogMs: 300 })
      const first = result.chunks.slice(0, result.chunks.findIndex((c) => c.usage) + 1)
      const second = result.chunks.slice(first.length)
      // The first answer: all from the gateway, saying why; native-server counted it.
      expect(first.length).toBeGreaterThan(1)
      expect(first.every((c) => c.tandem?.route === 'remote')).toBe(true)
      const timedOut = /^the local route did not load grok-2-tiny \w+ within 300 ms \(options\.local\.localTimeoutMs\); it goes on loading for the next request; continued on the remote route$/
      expect(first[0]!.tandem?.reason).toMatch(timedOut)
      expect(result.routeChanges).toEqual([expect.objectContaining({ from: 'local', to: 'remote', code: 'timeout', continuedAt: 0, reason: expect.stringMatching(timedOut) })])
      expect(first.map((c) => c.choices[0]?.delta.content ?? '').join('')).not.toBe('')
      expect(await metric(native, 'tandem_requests_total')).toBe(before + 1)
      // Meanwhile the same worker went on downloading and loading (each shard fetched once), so the next request ran locally.
      expect(result.workersStarted).toBe(1)
      const shards = shardRequests().map((r) => r.path)
      expect(shards.length).toBeGreaterThan(0)
      expect(new Set(shards).size).toBe(shards.length)
      expect(second.length).toBeGreaterThan(1)
      expect(second.every((c) => c.tandem?.route === 'local')).toBe(true)
      expect(await metric(native, 'tandem_requests_total')).toBe(before + 1)
    })

    it('ends a local answer killed inside a tool call\'s arguments with tool_call_interrupted: never a duplicated, interleaved or broken call', async () => {
      const result = await chat({ route: 'prefer-local', remote: remote(), request: DEFINE_WORD, killWorkerAfterToolChars: 4 })
      expect(result.killedAtToolChars).toBeGreaterThanOrEqual(4)
      expect(result.error).toMatchObject({ code: 'tool_call_interrupted', message: expect.stringMatching(/local route stopped inside a tool call/) })
      expect(result.routeChanges).toEqual([])
      expect(result.chunks.every((chunk) => chunk.tandem?.route === 'local')).toBe(true)
      // One call, begun once, never finished: no second id or name, no finish_reason, so no client assembles it.
      const deltas = toolCallDeltas(result.chunks)
      expect(deltas.every((delta) => delta.index === 0)).toBe(true)
      expect(deltas.filter((delta) => delta.id !== undefined)).toHaveLength(1)
      expect(deltas.filter((delta) => delta.function?.name !== undefined)).toHaveLength(1)
      expect(result.chunks.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false)
      expect(() => JSON.parse(deltas.map((delta) => delta.function?.arguments ?? '').join(''))).toThrow()
    })

    it('fails over from web-llm before any chunk: an unreachable MLC build, and one the adapter cannot run', async () => {
      const unreachable = { model: 'http://127.0.0.1:9/mlc/grok-2-tiny-q4f32_1/', model_lib: 'http://127.0.0.1:9/mlc/grok-2-tiny-q4f32_1-webgpu.wasm' }
      const needsF16 = { ...unreachable, required_features: ['shader-f16'] }
      for (const [record, code, words] of [
        [unreachable, 'local_unavailable', /could not load grok-2-tiny .*\(its MLC build\): web-llm: .*fetch/i],
        [needsF16, 'local_unavailable', /lacks shader-f16/],
      ] as const) {
        server.requests.length = 0
        const result = await chat({ route: 'prefer-local', remote: remote(), mlc: { 'grok-2-tiny': record }, request: HELLO })
        expect(result.error).toBeUndefined()
        expect(result.routeChanges).toEqual([expect.objectContaining({ from: 'local', to: 'remote', code, continuedAt: 0 })])
        expect(result.routeChanges[0]!.reason).toMatch(words)
        expect(result.chunks.every((c) => c.tandem?.route === 'remote')).toBe(true)
        expect(result.text.length).toBeGreaterThan(0)
        expect(shardRequests()).toEqual([]) // web-llm, not the GGUF shards
      }
    })
  })
})

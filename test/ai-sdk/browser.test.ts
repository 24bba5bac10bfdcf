// @tandem/ai-sdk in Debian's Chromium: streamText and a tool loop on the local route (the real worker, wllama, the
// tiny Grok-2's shards), and the useChat transport on the remote route (a publishable key, straight to the gateway in workerd) and
// across a failover: the worker killed mid-answer, the gateway finishing it, one uninterrupted message.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM, launchChromium } from '../../scripts/browser-harness/index.ts'
import { startPageStack, type PageStack } from '../browser/page-stack.ts'
import { closeAll, keys, MODEL } from '../edge/harness.ts'
import { serverText } from '../sdk/server-text.ts'
import type { Harness, Run } from './page/page.ts'

const prompt = 'hello'

describe.skipIf(!existsSync(CHROMIUM))('@tandem/ai-sdk in Chromium', () => {
  let stack: PageStack | undefined
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined
  let page: Page

  const call = <K extends keyof Harness>(name: K, run: Run) =>
    page.evaluate(({ name, run }) => (window as unknown as { harness: Record<string, (run: unknown) => unknown> }).harness[name]!(run), { name, run }) as Promise<Awaited<ReturnType<Harness[K]>>>
  const remote = () => ({ baseURL: `${stack!.gateway.url}/v1`, apiKey: keys.publishable })

  beforeAll(async () => {
    stack = await startPageStack(fileURLToPath(new URL('./page/', import.meta.url)), keys.publishable)
    browser = await launchChromium()
    page = await browser.context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(stack.site.url)
    await page.waitForFunction(() => document.title === 'ready')
  })

  afterAll(() => closeAll(browser, stack))

  it('streamText answers on the local route: text in steps, usage, the finish reason, and the plan in providerMetadata.tandem', async () => {
    const result = await call('stream', { route: 'local-only', prompt, maxOutputTokens: 24 })
    expect(result.errors).toEqual([])
    expect(result.deltas).toBeGreaterThan(2)
    expect(result.text.length).toBeGreaterThan(0)
    expect(result.finishReason).toBe('length')
    expect(result.usage?.outputTokens).toBe(24)
    const tandem = result.providerMetadata?.tandem as { route: string; plan: { route: string; local: { backend: string }; reasons: string[] }; failover: unknown }
    expect(tandem).toMatchObject({ route: 'local', plan: { route: 'local', local: { backend: 'wasm' } }, failover: null })
    expect(tandem.plan.reasons.join(' ')).toMatch(/wasm/)

    // generateText on the same route and settings: the same greedy text, whole.
    const generated = await call('generate', { route: 'local-only', prompt, maxOutputTokens: 24 })
    expect(generated).toMatchObject({ text: result.text, finishReason: 'length', outputTokens: 24, providerMetadata: { tandem: { route: 'local' } } })
  })

  it('aborts mid-stream on the local route: the AI SDK reports the abort, and the text so far starts the whole answer', async () => {
    const whole = await call('generate', { route: 'local-only', prompt, maxOutputTokens: 60 })
    const cut = await call('stream', { route: 'local-only', prompt, maxOutputTokens: 60, abortAfterChars: 6 })
    expect(cut.aborted).toBe(true)
    expect(cut.types).toContain('abort')
    expect(cut.errors).toEqual([])
    expect(cut.text.length).toBeGreaterThanOrEqual(6)
    expect(cut.text.length).toBeLessThan(whole.text.length)
    expect(whole.text.startsWith(cut.text)).toBe(true)
  })

  it("fails before the first chunk on the local route as an APICallError with Tandem's code, naming the models URL", async () => {
    const result = await call('stream', { route: 'local-only', prompt, maxOutputTokens: 8, modelsURL: '/nowhere/' })
    expect(result.text).toBe('')
    expect(result.errors).toEqual([expect.objectContaining({ name: 'AI_APICallError', statusCode: 503, data: { code: 'local_unavailable', param: null } })])
    expect(result.errors[0]!.message).toMatch(/\/nowhere\//)
  })

  it('generateText runs a tool loop on the local route: the worker calls define_word under its grammar, then answers in text', async () => {
    const result = await call('toolLoop', { route: 'local-only', prompt: 'What does "cat" mean?', maxOutputTokens: 120 })
    const [first, second, ...more] = result.steps
    expect(more).toEqual([])
    expect(first).toMatchObject({ finishReason: 'tool-calls', toolCalls: [{ toolName: 'define_word', input: { word: expect.any(String) } }] })
    expect(result.executed).toEqual([(first!.toolCalls[0]!.input as { word: string }).word])
    expect(second!.toolCalls).toEqual([])
    expect(second!.text.length).toBeGreaterThan(0)
    expect(result.route).toBe('local')
  })

  it("the chat transport answers straight from the gateway with a publishable key: the server's own text, one message", async () => {
    const expected = await serverText(stack!.upstream.server.url, { model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 24, temperature: 0, ignore_eos: true })
    const result = await call('chat', { route: 'remote-only', remote: remote(), prompt, maxOutputTokens: 24 })
    expect(result.ids).toHaveLength(1)
    expect(result.texts.at(-1)).toBe(expected)
    expect(result.texts.length).toBeGreaterThan(2)
    expect(result.parts.filter((type) => type === 'text')).toHaveLength(1)
    expect(result.metadata?.tandem).toMatchObject({ route: 'remote', plan: { route: 'remote' }, failover: null })
  })

  it('the chat transport runs tools in the page: the call and its result are parts of the one message, the answer follows', async () => {
    const result = await call('chat', { route: 'remote-only', remote: remote(), prompt: 'What does "cat" mean?', maxOutputTokens: 120, defineWord: true })
    expect(result.ids).toHaveLength(1)
    expect(result.parts).toEqual(['step-start', 'tool-define_word', 'step-start', 'text'])
    const word = result.executed[0]!
    expect(result.executed).toEqual([word])
    expect(result.tools).toEqual([{ state: 'output-available', input: { word }, output: { meaning: `the meaning of ${word}` } }])
    expect(result.texts.at(-1)!.length).toBeGreaterThan(0)
  })

  it('the chat transport shows a mid-answer failover as one uninterrupted message, and says where it moved and why', async () => {
    const result = await call('chat', { route: 'prefer-local', remote: remote(), prompt, maxOutputTokens: 40, killWorkerAfterChars: 6 })
    expect(result.killedAtChars).toBeGreaterThanOrEqual(6)
    expect(result.ids).toHaveLength(1)
    expect(result.parts.filter((type) => type === 'text')).toHaveLength(1)
    // Every state of the message starts with the one before: nothing was taken back or restarted.
    result.texts.forEach((text, i) => expect(text.startsWith(result.texts[i - 1] ?? '')).toBe(true))
    expect(result.texts.at(-1)!.length).toBeGreaterThan(result.killedAtChars!)
    expect(result.metadata?.tandem).toMatchObject({
      route: 'remote',
      plan: { route: 'local' },
      failover: { from: 'local', to: 'remote', reason: expect.stringMatching(/continued on the remote route/) },
    })
  })
})

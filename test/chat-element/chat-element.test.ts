// <tandem-chat> in Debian's Chromium against the real stack: a native-server on the tiny Grok-2 and
// the gateway in workerd, with a publishable key for the page's origin. Screenshots of each state
// go to test-results/chat-element/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, metric, type Gateway, type Upstream } from '../edge/harness.ts'
import type { IsolatedServer } from '../../scripts/browser-harness/index.ts'
import { KEY, SHOTS, assistantText, idle, sendByKeyboard, startChatPages, type ChatPages, type Opened } from './chat-page.ts'

let pages: ChatPages | undefined
let upstream: Upstream | undefined
let gateway: Gateway | undefined
let site: IsolatedServer | undefined

beforeAll(async () => {
  pages = await startChatPages()
  ;({ upstream, gateway, site } = pages.stack)
})

afterAll(async () => {
  await pages?.close()
})

const open = (query: Record<string, string>, request: object): Promise<Opened> => pages!.open(query, request)
const greedy = { temperature: 0 }

describe('<tandem-chat> against native-server through the workerd gateway', () => {
  it('streams an answer on the remote route, shows the route, its reason and tokens/s, and keeps the conversation', async () => {
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': KEY, route: 'remote-only' }, { ...greedy, max_tokens: 80, ignore_eos: true })
    try {
      // 80 tokens (on past the end of the turn), so the answer takes long enough to watch it stream.
      // Sample the answer while it streams: it must grow in steps while the element is busy.
      const seen = page.evaluate(
        () =>
          new Promise<number[]>((resolve) => {
            const chat = document.querySelector('tandem-chat')!
            const lengths: number[] = []
            const observer = new MutationObserver(() => {
              const bubble = chat.shadowRoot!.querySelector('.assistant')
              if (bubble && chat.hasAttribute('busy')) lengths.push(bubble.textContent!.length)
              if (bubble && !chat.hasAttribute('busy')) {
                observer.disconnect()
                resolve(lengths)
              }
            })
            observer.observe(chat, { attributes: true })
            observer.observe(chat.shadowRoot!, { subtree: true, childList: true, characterData: true })
          }),
      )
      await sendByKeyboard(page, 'Tell me a fortune.')
      const lengths = await seen
      await idle(page)
      const text = await assistantText(page)
      // Streaming: part of the answer was on screen while the rest was still coming.
      expect(lengths.some((n) => n > 0 && n < text.length)).toBe(true)
      expect(text.length).toBeGreaterThan(10)
      expect(text).not.toContain('\uFFFD')
      expect(await page.locator('tandem-chat .route').innerText()).toBe('route: remote')
      expect(await page.locator('tandem-chat .reason').innerText()).not.toBe('')
      expect(await page.locator('tandem-chat .meta').first().innerText()).toMatch(/^80 tokens · [\d.]+ tokens\/s$/)
      expect(await page.locator('tandem-chat .error').isHidden()).toBe(true)
      await page.screenshot({ path: `${SHOTS}remote-answer.png` })

      // A second message carries the first exchange with it.
      await sendByKeyboard(page, 'And again')
      await idle(page)
      expect(await page.evaluate(() => (document.querySelector('tandem-chat') as unknown as { messages: Array<{ role: string }> }).messages.map((m) => m.role))).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ])
      await page.emulateMedia({ colorScheme: 'dark' })
      await page.screenshot({ path: `${SHOTS}conversation-dark.png` })
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('stops mid-answer with the Stop button: generation ends on the server too', async () => {
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': KEY, route: 'remote-only' }, { ...greedy, max_tokens: 1500, ignore_eos: true })
    try {
      const cancelledBefore = await metric(upstream!.server, 'tandem_cancellations_total')
      await sendByKeyboard(page, 'Tell me a long story')
      await page.waitForFunction(() => (document.querySelector('tandem-chat')!.shadowRoot!.querySelector('.assistant')?.textContent?.length ?? 0) > 400)
      await page.locator('tandem-chat .stop').click()
      await idle(page)
      const text = await assistantText(page)
      expect(text).toMatch(/stopped$/)
      expect(text.length).toBeLessThan(1400)
      expect(await page.locator('tandem-chat .error').isHidden()).toBe(true)
      await page.screenshot({ path: `${SHOTS}stopped.png` })
      // The server cancelled the generation (its completion counter moves only when a generation
      // ends, so it cannot tell a stopped one from one still running).
      await expect.poll(() => metric(upstream!.server, 'tandem_cancellations_total'), { timeout: 5_000 }).toBe(cancelledBefore + 1)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('says so when the model ends its turn without a word, and the next question still answers', async () => {
    // Every text token of the tiny Grok-2's vocabulary (its last three are the control tokens) pushed down: it ends its turn at once.
    const noText = Object.fromEntries(Array.from({ length: 4093 }, (_, id) => [id, -100]))
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': KEY, route: 'remote-only' }, { ...greedy, logit_bias: noText })
    try {
      await sendByKeyboard(page, 'Hi')
      await idle(page)
      expect(await page.locator('tandem-chat .assistant').count()).toBe(1)
      expect(await assistantText(page)).toBe('The model gave no answer.')
      expect(await page.locator('tandem-chat .assistant .meta').count()).toBe(1)
      expect(await page.locator('tandem-chat [role=alert]').isHidden()).toBe(true)
      await page.screenshot({ path: `${SHOTS}empty-answer.png` })

      await page.evaluate(() => Object.assign(document.querySelector('tandem-chat')!, { requestOptions: { temperature: 0, max_tokens: 12 } }))
      await sendByKeyboard(page, 'Hello')
      await idle(page)
      expect((await assistantText(page)).trim()).not.toBe('')
      expect(await assistantText(page)).not.toBe('The model gave no answer.')
      // The empty answer kept its turn: the second question did not follow the first unanswered.
      const messages = await page.evaluate(() => (document.querySelector('tandem-chat') as unknown as { messages: Array<{ role: string; content: string }> }).messages)
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
      expect(messages[1]!.content).toBe('')
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('says clearly in the element when the key is wrong', async () => {
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': 'pk_wrong', route: 'remote-only' }, greedy)
    try {
      await sendByKeyboard(page, 'Hi')
      await idle(page)
      const alert = page.locator('tandem-chat [role=alert]')
      expect(await alert.isVisible()).toBe(true)
      expect(await alert.innerText()).toMatch(/refused the credentials/)
      await page.screenshot({ path: `${SHOTS}wrong-key.png` })
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('says clearly in the element when the gateway is down', async () => {
    const { page, problems } = await open({ gateway: 'http://127.0.0.1:9/v1', 'publishable-key': KEY, route: 'remote-only' }, greedy)
    try {
      await sendByKeyboard(page, 'Hi')
      await idle(page)
      expect(await page.locator('tandem-chat [role=alert]').innerText()).toMatch(/Cannot reach the gateway at http:\/\/127\.0\.0\.1:9\/v1/)
      await page.screenshot({ path: `${SHOTS}gateway-down.png` })
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('forgets the route it showed when the route mode changes and on a new conversation', async () => {
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': KEY, route: 'remote-only' }, { ...greedy, max_tokens: 4 })
    const header = async () => [await page.locator('tandem-chat .route').innerText(), await page.locator('tandem-chat .reason').innerText()]
    try {
      await sendByKeyboard(page, 'Hi')
      await idle(page)
      expect(await header()).toEqual(['route: remote', expect.stringContaining('route mode is remote-only')])
      await page.evaluate(() => document.querySelector('tandem-chat')!.setAttribute('route', 'prefer-remote'))
      expect(await header()).toEqual(['', ''])

      await sendByKeyboard(page, 'Hi again')
      await idle(page)
      expect(await header()).toEqual(['route: remote', expect.stringContaining('remote: the gateway serves grok-2-tiny')])
      await page.evaluate(() => (document.querySelector('tandem-chat') as unknown as { clear(): void }).clear())
      expect(await header()).toEqual(['', ''])
      expect(await page.locator('tandem-chat .message').count()).toBe(0)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('names the models the gateway serves when asked for one it does not', async () => {
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': KEY, route: 'remote-only', model: 'grok-2' }, greedy)
    try {
      await sendByKeyboard(page, 'Hi')
      await idle(page)
      expect(await page.locator('tandem-chat [role=alert]').innerText()).toMatch(/^The gateway does not serve this model \(no route can serve grok-2: .*the gateway does not serve grok-2 \(it serves grok-2-tiny\)\)\.$/)
      expect(await page.locator('tandem-chat .route').innerText()).toBe('')
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('blames the models URL, not the gateway, when the local route cannot load the model', async () => {
    for (const modelsURL of ['/nowhere/', 'http://127.0.0.1:9/models/']) {
      const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, 'publishable-key': KEY, route: 'local-only', local: '', 'models-url': modelsURL }, greedy)
      try {
        const failed = page.evaluate(() => new Promise<{ code: string }>((resolve) => document.querySelector('tandem-chat')!.addEventListener('tandem-error', (e) => resolve((e as CustomEvent).detail), { once: true })))
        await sendByKeyboard(page, 'Hi')
        await idle(page)
        const alert = await page.locator('tandem-chat [role=alert]').innerText()
        expect(alert, modelsURL).toMatch(/^The local route cannot answer: the local route could not load grok-2-tiny \S+ from the models URL /)
        expect(alert, modelsURL).toContain(new URL(modelsURL, site!.url).href)
        expect(alert, modelsURL).not.toMatch(/gateway/i)
        expect((await failed).code).toBe('local_unavailable')
        await page.screenshot({ path: `${SHOTS}models-url-unreachable.png` })
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    }
  })

  it('gets a token from token-url and answers with it', async () => {
    // The site's backend mints a token with its secret key; the page fetches it from its own origin.
    const minted = await fetch(`${gateway!.url}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'user-1' }),
    })
    expect(minted.status).toBe(200)
    const { token } = (await minted.json()) as { token: string }
    const unput = site!.put('/token', JSON.stringify({ token }))
    const { page, problems } = await open({ gateway: `${gateway!.url}/v1`, route: 'remote-only' }, { ...greedy, max_tokens: 12 })
    try {
      await page.evaluate(() => document.querySelector('tandem-chat')!.setAttribute('token-url', '/token'))
      await sendByKeyboard(page, 'Hi')
      await idle(page)
      expect(await page.locator('tandem-chat .error').isHidden()).toBe(true)
      expect((await assistantText(page)).length).toBeGreaterThan(0)
      expect(site!.requests.some((r) => r.path === '/token')).toBe(true)
      expect(problems).toEqual([])
    } finally {
      unput()
      await page.close()
    }
  })

  it('renders Markdown as DOM: HTML in model text stays text', async () => {
    const { page } = await open({}, {})
    try {
      const html = await page.evaluate(() => (window as unknown as { renderToHTML(t: string): string }).renderToHTML('**hi** <img src=x onerror="alert(1)"> [x](javascript:alert(1))\n```\n<script>1</script>\n```'))
      expect(html).toBe('<p><strong>hi</strong> &lt;img src=x onerror="alert(1)"&gt; [x](javascript:alert(1))</p><pre><code>&lt;script&gt;1&lt;/script&gt;</code></pre>')
    } finally {
      await page.close()
    }
  })
})

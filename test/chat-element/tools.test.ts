// <tandem-chat> with a tool, in Debian's Chromium against the real stack (native-server on the tiny Grok-2, the gateway
// in workerd, the real worker for the local route). The tiny model calls define_word under `auto` for most asks of a
// meaning, not reliably (packages/models/trained/tool-use.json), so these tests force the call with the element's
// `toolChoice`; its arguments are generated under the tool's schema.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KEY, SHOTS, assistantText, idle, sendByKeyboard, startChatPages, type ChatPages } from './chat-page.ts'

let pages: ChatPages | undefined

beforeAll(async () => {
  pages = await startChatPages()
})

afterAll(async () => {
  await pages?.close()
})

type Behaviour = 'answer' | 'throw' | 'hang'

/** Gives the element a define_word tool that answers, throws or hangs (ignoring its signal); calls are kept in `window.calls`. */
async function giveTool(page: Page, behaviour: Behaviour, toolChoice: string) {
  await page.evaluate(
    ({ behaviour, toolChoice }) => {
      const calls: Array<{ args: unknown; signal: AbortSignal }> = []
      ;(window as unknown as { calls: typeof calls }).calls = calls
      Object.assign(document.querySelector('tandem-chat')!, {
        toolChoice,
        tools: [
          {
            name: 'define_word',
            description: 'Look up what an English word means.',
            parameters: { type: 'object', properties: { word: { type: 'string', maxLength: 24 } }, required: ['word'], additionalProperties: false },
            run(args: { word: string }, { signal }: { signal: AbortSignal }) {
              calls.push({ args, signal })
              if (behaviour === 'throw') throw new Error('the dictionary is offline')
              if (behaviour === 'hang') return new Promise(() => {})
              return `the meaning of ${args.word}`
            },
          },
        ],
      })
    },
    { behaviour, toolChoice },
  )
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { calls: Array<{ args: unknown; signal: AbortSignal }> }).calls.map((c) => ({ args: c.args, aborted: c.signal.aborted })))
const messages = (page: Page) => page.evaluate(() => (document.querySelector('tandem-chat') as unknown as { messages: unknown[] }).messages)
/** What the (one) call's block shows. */
const shownCall = async (page: Page) => ({
  name: await page.locator('tandem-chat .tool .name').innerText(),
  args: await page.locator('tandem-chat .tool .args').innerText(),
  result: await page.locator('tandem-chat .tool .result').innerText(),
})

/** The bodies of the page's chat requests to the gateway, in order. */
function chatRequests(page: Page): Array<{ messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>; tool_choice?: unknown }> {
  const bodies: ReturnType<typeof chatRequests> = []
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/chat/completions')) bodies.push(request.postDataJSON())
  })
  return bodies
}

const answering = { temperature: 0, max_tokens: 120, parallel_tool_calls: false }

describe('<tandem-chat> with tools', () => {
  for (const route of ['remote', 'local'] as const) {
    it(`on the ${route} route: shows the call, runs it with the parsed arguments, and continues the answer with its result`, async () => {
      const query: Record<string, string> = route === 'remote' ? { gateway: pages!.gateway, 'publishable-key': KEY, route: 'remote-only' } : { route: 'local-only', local: '' }
      const { page, problems } = await pages!.open(query, answering)
      try {
        const requests = chatRequests(page)
        await giveTool(page, 'answer', 'define_word')
        await sendByKeyboard(page, 'What does cat mean?')
        await idle(page)
        expect(await page.locator('tandem-chat [role=alert]').isHidden()).toBe(true)
        expect(await page.locator('tandem-chat .route').innerText()).toBe(`route: ${route}`)
        const [call, ...more] = await calls(page)
        expect(more).toEqual([])
        const word = (call!.args as { word: string }).word
        expect(call!.args).toEqual({ word: expect.any(String) })
        const shown = await shownCall(page)
        expect(shown.name).toBe('define_word')
        expect(JSON.parse(shown.args)).toEqual({ word })
        expect(shown.result).toBe(`→ the meaning of ${word}`)

        const history = (await messages(page)) as Array<{ role: string; content?: string | null; tool_calls?: Array<{ id: string }>; tool_call_id?: string }>
        expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
        expect(history[2]).toEqual({ role: 'tool', tool_call_id: history[1]!.tool_calls![0]!.id, content: `the meaning of ${word}` })
        // The continued answer is on screen after the call's block.
        const answer = history[3]!.content!
        expect(answer.trim()).not.toBe('')
        expect((await assistantText(page)).endsWith(answer.trim().split('\n').at(-1)!.trim())).toBe(true)
        if (route === 'remote') {
          expect(requests.map((r) => r.tool_choice)).toEqual([{ type: 'function', function: { name: 'define_word' } }, 'auto'])
          expect(requests[1]!.messages.at(-1)).toEqual(history[2])
        }
        await page.screenshot({ path: `${SHOTS}tool-call-${route}.png` })
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    })
  }

  it('shows a run that throws, and gives the model its error as the tool result', async () => {
    const { page, problems } = await pages!.open({ gateway: pages!.gateway, 'publishable-key': KEY, route: 'remote-only' }, answering)
    try {
      const requests = chatRequests(page)
      await giveTool(page, 'throw', 'required')
      await sendByKeyboard(page, 'What does dog mean?')
      await idle(page)
      expect((await shownCall(page)).result).toBe('✗ the dictionary is offline')
      expect(await page.locator('tandem-chat .tool .result.failed').count()).toBe(1)
      expect(await page.locator('tandem-chat [role=alert]').isHidden()).toBe(true)
      expect(requests).toHaveLength(2)
      expect(requests[1]!.messages.at(-1)).toMatchObject({ role: 'tool', content: '{"error":"the dictionary is offline"}' })
      expect(((await messages(page)) as Array<{ role: string }>).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
      await page.screenshot({ path: `${SHOTS}tool-throws.png` })
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('Stop gives up a run that hangs (its signal aborted), says so, and the next question is answered', async () => {
    const { page, problems } = await pages!.open({ gateway: pages!.gateway, 'publishable-key': KEY, route: 'remote-only' }, answering)
    try {
      await giveTool(page, 'hang', 'required')
      await sendByKeyboard(page, 'What does tree mean?')
      await page.waitForFunction(() => document.querySelector('tandem-chat')!.shadowRoot!.querySelector('.tool .result')?.textContent === 'running…')
      expect(await page.locator('tandem-chat').getAttribute('busy')).toBe('')
      await page.locator('tandem-chat .stop').click()
      await idle(page)
      expect((await shownCall(page)).result).toBe('✗ stopped')
      expect(await assistantText(page)).toMatch(/stopped$/)
      expect((await calls(page))[0]!.aborted).toBe(true)
      expect(await page.locator('tandem-chat [role=alert]').isHidden()).toBe(true)
      await page.screenshot({ path: `${SHOTS}tool-stopped.png` })

      // The conversation keeps the call, answered as stopped, and goes on.
      await page.evaluate(() => Object.assign(document.querySelector('tandem-chat')!, { toolChoice: 'none' }))
      await sendByKeyboard(page, 'Hello')
      await idle(page)
      expect(await page.locator('tandem-chat [role=alert]').isHidden()).toBe(true)
      expect((await assistantText(page)).trim()).not.toBe('')
      expect(((await messages(page)) as Array<{ role: string; content?: unknown }>).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant'])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('does not run a call that max_tokens cut, and says so', async () => {
    const { page, problems } = await pages!.open({ gateway: pages!.gateway, 'publishable-key': KEY, route: 'remote-only' }, { ...answering, max_tokens: 40 })
    try {
      await giveTool(page, 'answer', 'required')
      await sendByKeyboard(page, 'What does sun mean?')
      await idle(page)
      expect(await assistantText(page)).toBe('The answer ended inside a tool call (max_tokens), which was not run.')
      expect(await calls(page)).toEqual([])
      expect(await messages(page)).toEqual([{ role: 'user', content: 'What does sun mean?' }])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('refuses a bad tool when it is set, naming the field', async () => {
    const { page } = await pages!.open({}, {})
    try {
      const message = await page.evaluate(() => {
        try {
          Object.assign(document.querySelector('tandem-chat')!, { tools: [{ name: 'define word', run() {} }] })
          return 'accepted'
        } catch (error) {
          return (error as Error).message
        }
      })
      expect(message).toBe('tools[0].name: expected 1 to 64 letters, digits, "_" or "-"')
    } finally {
      await page.close()
    }
  })
})

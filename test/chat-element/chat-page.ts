// What the element's browser tests share: the real stack with the test page, opening the page with an element
// configured from the query string, and driving it as a person would.
import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { launchChromium } from '../../scripts/browser-harness/index.ts'
import { startPageStack, type PageStack } from '../browser/page-stack.ts'
import { closeAll } from '../edge/harness.ts'

export const SHOTS = fileURLToPath(new URL('../../test-results/chat-element/', import.meta.url))
export const KEY = 'pk_chat_element_test'

export interface ChatPages {
  readonly stack: PageStack
  /** The gateway's `/v1` URL. */
  readonly gateway: string
  /** Opens the page with the element's attributes from `query` and its `requestOptions` set to `request`. */
  open(query: Record<string, string>, request: object): Promise<Opened>
  close(): Promise<void>
}

export interface Opened {
  page: Page
  /** Uncaught exceptions and console errors other than the browser's own failed-fetch lines. */
  problems: string[]
}

export async function startChatPages(): Promise<ChatPages> {
  const stack = await startPageStack(fileURLToPath(new URL('./page/', import.meta.url)), KEY)
  const browser = await launchChromium().catch(async (error: unknown) => {
    await stack.close()
    throw error
  })
  await mkdir(SHOTS, { recursive: true })
  async function open(query: Record<string, string>, request: object): Promise<Opened> {
    const page = await browser.context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource|net::ERR_/.test(message.text())) problems.push(`console: ${message.text()}`)
    })
    await page.goto(`${stack.site.url}/?${new URLSearchParams(query)}`)
    await page.waitForFunction(() => document.title === 'ready')
    await page.evaluate((options) => Object.assign(document.querySelector('tandem-chat')!, { requestOptions: options }), request)
    return { page, problems }
  }
  return { stack, gateway: `${stack.gateway.url}/v1`, open, close: () => closeAll(browser, stack) }
}

/** Types a message and sends it with Enter, as a keyboard user would. */
export async function sendByKeyboard(page: Page, text: string) {
  await page.locator('tandem-chat textarea').focus()
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
}

export const assistantText = (page: Page) => page.locator('tandem-chat .assistant').last().innerText()
export const idle = (page: Page) => page.waitForFunction(() => !document.querySelector('tandem-chat')!.hasAttribute('busy'), undefined, { timeout: 45_000 })

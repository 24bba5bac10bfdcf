// What one assistant bubble shows: the model's text as safe Markdown, and between its pieces a small block per tool
// call (the tool's name, its arguments, then its result or error). Text is painted once per frame while it streams.
import { renderMarkdown } from './markdown.ts'
import type { ToolOutcome } from './tools.ts'

/** Longest result shown in a call's block; the model gets all of it. */
const SHOWN_RESULT = 400

export class AnswerView {
  readonly #bubble: HTMLElement
  readonly #parts: Array<{ text: string } | HTMLElement> = []
  #frame = 0

  constructor(bubble: HTMLElement) {
    this.#bubble = bubble
  }

  /** Whether nothing at all was shown: no text, no call. */
  get empty(): boolean {
    return this.#parts.length === 0
  }

  write(text: string): void {
    if (!text) return
    const last = this.#parts.at(-1)
    if (last && !(last instanceof HTMLElement)) last.text += text
    else this.#parts.push({ text })
    this.#frame ||= requestAnimationFrame(() => this.paint())
  }

  /** A block for one call, showing it runs; `settle` shows what it came to. */
  toolCall(name: string, args: string): { settle(outcome: ToolOutcome): void } {
    const block = element('div', 'tool')
    block.setAttribute('part', 'tool')
    block.setAttribute('role', 'group')
    block.setAttribute('aria-label', `Tool call: ${name}`)
    const call = block.appendChild(element('div', 'call'))
    call.append(element('span', 'name', name), ' ', element('code', 'args', args))
    const result = block.appendChild(element('div', 'result', 'running…'))
    this.#parts.push(block)
    this.paint()
    return {
      settle(outcome) {
        result.className = outcome.ok ? 'result' : 'result failed'
        result.textContent = outcome.ok ? `→ ${shorten(outcome.content) || '(empty)'}` : `✗ ${outcome.error}`
      },
    }
  }

  /** Shows everything now, then `notes` (muted lines: "stopped", …) after it. */
  paint(...notes: string[]): void {
    cancelAnimationFrame(this.#frame)
    this.#frame = 0
    this.#bubble.replaceChildren(...this.#parts.map((part) => (part instanceof HTMLElement ? part : renderMarkdown(part.text))), ...notes.map((note) => element('div', 'meta', note)))
  }
}

function element(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag)
  node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function shorten(text: string): string {
  return text.length > SHOWN_RESULT ? `${text.slice(0, SHOWN_RESULT)}…` : text
}

import type { ChatCompletionChunk } from '@tandem/protocol'
import { TOOL_CALL_OPEN, TOOL_CALL_TAIL } from './tool-format.ts'

/** What an answer adds to a stream: text, the start of a call, or more of a call's arguments. */
export type AnswerDelta = Pick<ChatCompletionChunk['choices'][number]['delta'], 'content' | 'tool_calls'>

const HEAD = /^\{"name": "([a-zA-Z0-9_-]{1,64})", "arguments": /

type State =
  | { at: 'start' } // nothing decided: the answer may be text or calls
  | { at: 'text' }
  | { at: 'head' } // inside `<tool_call>`, before the arguments
  | { at: 'arguments'; depth: number; inString: boolean; escaped: boolean }
  | { at: 'tail' } // after the arguments: `}</tool_call>`
  | { at: 'between' } // after a call: another, or the end

function newCallId(): string {
  return `call_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`
}

/**
 * Reads the model's answer, as its text streams out, into OpenAI's deltas: text as `content`, and
 * each `<tool_call>` (see `tool-format.ts`) as a `tool_calls` entry with its index, a new id and the
 * name, then its arguments in pieces as they are generated. The one reader of tool calls, for both
 * routes. Generation under the tool grammar always matches the format; text that does not is
 * passed on as `content`, never dropped. Text still held back when the answer ends is a call cut
 * short (by `max_tokens`), never content: the grammar lets no text start with `<`, and what is held
 * back is only ever a prefix of `<tool_call>` or of a call's head, so there is nothing to flush.
 */
export class ToolCallParser {
  #state: State = { at: 'start' }
  #buffer = ''
  #index = -1
  /** Calls whose closing tag was read. */
  completeCalls = 0

  /** Whether the answer was calls, each of them whole: its finish reason is then `tool_calls`. */
  calledTools(): boolean {
    return this.completeCalls > 0 && this.#state.at === 'between' && this.#buffer === ''
  }

  push(text: string): AnswerDelta | undefined {
    this.#buffer += text
    const delta: AnswerDelta = {}
    for (;;) {
      const before = this.#buffer
      const state = this.#state.at
      this.#step(delta)
      if (this.#buffer === before && this.#state.at === state) break
    }
    return delta.content === undefined && delta.tool_calls === undefined ? undefined : delta
  }

  #step(delta: AnswerDelta): void {
    const state = this.#state
    switch (state.at) {
      case 'start':
      case 'between':
        if (this.#buffer.startsWith(TOOL_CALL_OPEN)) {
          this.#buffer = this.#buffer.slice(TOOL_CALL_OPEN.length)
          this.#state = { at: 'head' }
        } else if (!TOOL_CALL_OPEN.startsWith(this.#buffer)) this.#toText(delta)
        return
      case 'text':
        this.#toText(delta)
        return
      case 'head': {
        const head = HEAD.exec(this.#buffer)
        if (head) {
          this.#index++
          this.#buffer = this.#buffer.slice(head[0].length)
          addCall(delta, { index: this.#index, id: newCallId(), type: 'function', function: { name: head[1]!, arguments: '' } })
          this.#state = { at: 'arguments', depth: 0, inString: false, escaped: false }
        } else if (!couldBecomeHead(this.#buffer)) {
          this.#buffer = TOOL_CALL_OPEN + this.#buffer
          this.#toText(delta)
        }
        return
      }
      case 'arguments': {
        let end = -1
        for (let i = 0; i < this.#buffer.length && end < 0; i++) {
          const char = this.#buffer[i]!
          if (state.inString) {
            if (state.escaped) state.escaped = false
            else if (char === '\\') state.escaped = true
            else if (char === '"') state.inString = false
          } else if (char === '"') state.inString = true
          else if (char === '{' || char === '[') state.depth++
          else if (char === '}' || char === ']') {
            state.depth--
            if (state.depth === 0) end = i + 1
          }
        }
        const piece = end < 0 ? this.#buffer : this.#buffer.slice(0, end)
        this.#buffer = end < 0 ? '' : this.#buffer.slice(end)
        if (piece !== '') addCall(delta, { index: this.#index, function: { arguments: piece } })
        if (end >= 0) this.#state = { at: 'tail' }
        return
      }
      case 'tail':
        if (this.#buffer.startsWith(TOOL_CALL_TAIL)) {
          this.#buffer = this.#buffer.slice(TOOL_CALL_TAIL.length)
          this.completeCalls++
          this.#state = { at: 'between' }
        } else if (!TOOL_CALL_TAIL.startsWith(this.#buffer)) this.#toText(delta)
    }
  }

  #toText(delta: AnswerDelta): void {
    this.#state = { at: 'text' }
    if (this.#buffer !== '') delta.content = (delta.content ?? '') + this.#buffer
    this.#buffer = ''
  }
}

const NAME_START = '{"name": "'
const AFTER_NAME = '", "arguments": '

/** Whether more text could still make `text` a call's head. */
function couldBecomeHead(text: string): boolean {
  if (text.length <= NAME_START.length) return NAME_START.startsWith(text)
  if (!text.startsWith(NAME_START)) return false
  const rest = text.slice(NAME_START.length)
  const after = rest.slice(/^[a-zA-Z0-9_-]{0,64}/.exec(rest)![0].length)
  return AFTER_NAME.startsWith(after)
}

type ToolCallDelta = NonNullable<AnswerDelta['tool_calls']>[number]

/** `more` appended to `delta`: text joined, a call's arguments joined into one piece. */
export function appendDelta(delta: AnswerDelta, more: AnswerDelta): void {
  if (more.content != null) delta.content = (delta.content ?? '') + more.content
  for (const call of more.tool_calls ?? []) addCall(delta, { ...call, ...(call.function ? { function: { ...call.function } } : {}) })
}

function addCall(delta: AnswerDelta, call: ToolCallDelta): void {
  const calls = (delta.tool_calls ??= [])
  const last = calls.at(-1)
  if (last && last.index === call.index && call.id === undefined) {
    last.function = { ...last.function, arguments: (last.function?.arguments ?? '') + (call.function?.arguments ?? '') }
  } else calls.push(call)
}

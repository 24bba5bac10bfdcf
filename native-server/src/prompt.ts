import { contentText, TandemError, type ChatMessage } from '@tandem/protocol'
import { SEPARATOR } from '@tandem/models'

/** Text, or a control token named by its text: kept apart so message content can never forge one. */
export type PromptPart = string | { special: string }

const separator = { special: SEPARATOR }

/** Tokens the template adds beside the text of every message but a final prefix: its `<|separator|>`. */
export const TEMPLATE_TOKENS_PER_MESSAGE = 1
const TURN_END = [separator, '\n\n'] as const

/**
 * Grok-2's chat template, rendered by hand: `System: …`, `Human: …` and `Assistant: …` turns, each
 * ended by `<|separator|>` and a blank line, then `Assistant:` for the model to answer. A last
 * assistant message marked `prefix` is left open (`Assistant: <text>`, no separator), so the model
 * continues it. As in the template, system and user content is trimmed, assistant content is not.
 */
export function renderGrok2Prompt(messages: readonly ChatMessage[]): PromptPart[] {
  const parts: PromptPart[] = []
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        parts.push(`System: ${contentText(message.content).trim()}`, ...TURN_END)
        return
      case 'user':
        parts.push(`Human: ${contentText(message.content).trim()}`, ...TURN_END)
        return
      case 'assistant':
        if ((message.tool_calls?.length ?? 0) > 0) {
          throw new TandemError('unsupported', 'tool calls are not supported by this model', { param: `messages[${index}].tool_calls` })
        }
        parts.push(`Assistant: ${contentText(message.content)}`)
        if (message.prefix !== true) parts.push(...TURN_END)
        return
      case 'tool':
        throw new TandemError('unsupported', 'tool messages are not supported by this model', { param: `messages[${index}].role` })
    }
  })
  if (messages.at(-1)?.prefix !== true) parts.push('Assistant:')
  return mergeText(parts)
}

/** Adjacent text parts as one, so the tokenizer sees each stretch between control tokens whole. */
function mergeText(parts: PromptPart[]): PromptPart[] {
  const merged: PromptPart[] = []
  for (const part of parts) {
    const last = merged.at(-1)
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part
    else merged.push(part)
  }
  return merged
}

/** The prompt as one string, for logs and for tokenizers that parse control tokens themselves. */
export function promptText(parts: readonly PromptPart[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : part.special)).join('')
}

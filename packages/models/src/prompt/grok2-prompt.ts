import { SEPARATOR } from '../tokenizer.ts'
import { GENERATION_PROMPT, assistantContent } from './assistant-prefix.ts'

/** Text, or a control token named by its text: kept apart so message content can never forge one. */
export type PromptPart = string | { special: string }

/** One turn, its content already flattened to text. A last assistant turn marked `prefix` is left open for the model to continue. */
export interface PromptTurn {
  role: 'system' | 'user' | 'assistant'
  text: string
  prefix?: boolean
}

/** Tokens the template adds beside the text of every message but a final prefix: its `<|separator|>`. */
export const TEMPLATE_TOKENS_PER_MESSAGE = 1

const separator = { special: SEPARATOR }
const TURN_END = [separator, '\n\n'] as const

/**
 * Grok-2's chat template (`GROK_2_CHAT_TEMPLATE`), rendered by hand: `System: …`, `Human: …` and
 * `Assistant: …` turns, each ended by `<|separator|>` and a blank line, then `Assistant:` for the
 * model to answer. A last assistant turn marked `prefix` is left open (`Assistant: <text>`, no
 * separator), so the model continues it.
 */
export function renderGrok2Prompt(turns: readonly PromptTurn[]): PromptPart[] {
  const parts: PromptPart[] = []
  for (const turn of turns) {
    if (turn.role === 'system') parts.push(`System: ${turn.text.trim()}`, ...TURN_END)
    else if (turn.role === 'user') parts.push(`Human: ${turn.text.trim()}`, ...TURN_END)
    else {
      parts.push(GENERATION_PROMPT + assistantContent(turn.text))
      if (turn.prefix !== true) parts.push(...TURN_END)
    }
  }
  if (turns.at(-1)?.prefix !== true) parts.push(GENERATION_PROMPT)
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

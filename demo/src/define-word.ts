// The demo's one tool: define_word exactly as the tiny Grok-2 was trained to call it (DEFINE_WORD_TOOL), looked up in
// the small dictionary the demo ships (WordNet 3.0 glosses; public/wordnet-license.txt). Its result is the definition
// as plain text, as in training.
import type { ChatTool } from '@tandem/chat-element'
import { DEFINE_WORD_TOOL } from '@tandem/models'
import dictionary from './dictionary.json' with { type: 'json' }

const { name, description, parameters } = DEFINE_WORD_TOOL.function
const words: Record<string, string> = dictionary.words

export const WORDS = Object.keys(words)

export const defineWord: ChatTool = {
  name,
  ...(description ? { description } : {}),
  ...(parameters ? { parameters } : {}),
  run: ({ word }: { word: string }) => define(word),
}

/** The definition of `word` (any case, quotes and trailing punctuation ignored, a plural `s` tried), or a sentence saying there is none. */
export function define(word: string): string {
  const key = word.trim().toLowerCase().replace(/^["'“‘]+|["'”’.,!?;:]+$/g, '')
  const found = words[key] ?? (key.endsWith('s') ? words[key.slice(0, -1)] : undefined)
  return found ?? `"${word}" is not in this dictionary.`
}

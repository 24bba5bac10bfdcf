/** A byte-level BPE vocabulary in the shape llama.cpp's `gpt2` tokenizer model reads. */
export interface ByteLevelVocabulary {
  /** Token texts in GPT-2's byte-to-unicode alphabet; control tokens as written. */
  tokens: string[]
  /** 1 normal, 3 control (llama.cpp's token types). */
  types: number[]
  /** `"left right"`, highest priority first. */
  merges: string[]
  padId: number
  bosId: number
  /** Ends a turn, and so generation: llama.cpp's built-in end-of-generation list lacks `<|separator|>`. */
  eosId: number
}

export const TOKEN_TYPE_NORMAL = 1
export const TOKEN_TYPE_CONTROL = 3

/**
 * GPT-2's reversible map from bytes to printable characters: printable Latin-1 bytes map to
 * themselves, the rest to code points from 256 up, so a space is `Ġ` and a newline `Ċ`.
 */
export function bytesToUnicode(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)
  const table: string[] = []
  let next = 256
  for (let b = 0; b < 256; b++) table.push(String.fromCodePoint(printable(b) ? b : next++))
  return table
}

/** Merges that build each word left to right, e.g. `H u`, `Hu m`, … for `Human`. */
function mergesFor(words: readonly string[]): { merges: string[]; merged: string[] } {
  const merges: string[] = []
  const merged: string[] = []
  for (const word of words) {
    const chars = [...word]
    let left = chars[0]!
    for (const char of chars.slice(1)) {
      const pair = `${left} ${char}`
      left += char
      if (!merges.includes(pair)) {
        merges.push(pair)
        merged.push(left)
      }
    }
  }
  return { merges, merged }
}

/** Words of the Grok-2 chat template and a few common English ones, in GPT-2's alphabet (`Ġ` is a space). */
const TINY_WORDS = ['Human', 'Assistant', 'System', 'ĊĊ', 'Ġthe', 'Ġto', 'Ġand', 'Ġof', 'Ġa', 'Ġin', 'Ġis', 'Ġyou', 'Ġit']

export const SEPARATOR = '<|separator|>'

/** The tiny Grok-2's vocabulary: byte b is token b, then the merged words, then the control tokens. */
export function tinyVocabulary(): ByteLevelVocabulary {
  const bytes = bytesToUnicode()
  const { merges, merged } = mergesFor(TINY_WORDS)
  const control = ['<|pad|>', '<|bos|>', SEPARATOR]
  const tokens = [...bytes, ...merged, ...control]
  const types = tokens.map((_, i) => (i < bytes.length + merged.length ? TOKEN_TYPE_NORMAL : TOKEN_TYPE_CONTROL))
  const id = (token: string) => tokens.indexOf(token)
  return { tokens, types, merges, padId: id('<|pad|>'), bosId: id('<|bos|>'), eosId: id(SEPARATOR) }
}

/**
 * Grok-2's chat template. llama.cpp recognises it by the `'Assistant: '  + message['content']`
 * fragment (two spaces included) and renders turns as `Human: …<|separator|>\n\n`.
 */
export const GROK_2_CHAT_TEMPLATE =
  "{%- for message in messages %}" +
  "{%- if message['role'] == 'system' %}{{- 'System: ' + message['content'] | trim + '<|separator|>\\n\\n' }}" +
  "{%- elif message['role'] == 'user' %}{{- 'Human: ' + message['content'] | trim + '<|separator|>\\n\\n' }}" +
  "{%- elif message['role'] == 'assistant' %}{{- 'Assistant: '  + message['content'] + '<|separator|>\\n\\n' }}" +
  '{%- endif %}{%- endfor %}' +
  "{%- if add_generation_prompt %}{{- 'Assistant:' }}{%- endif %}"

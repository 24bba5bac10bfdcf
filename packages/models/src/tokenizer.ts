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
export const TOKEN_TYPE_USER_DEFINED = 4
export const TOKEN_TYPE_BYTE = 6

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

/** The GGUF tokenizer keys {@link tokenByteTable} reads (`tokenizer.ggml.*`). */
export interface GgufTokenizer {
  model: string
  tokens: readonly string[]
  token_type?: readonly number[] | undefined
}

const utf8 = new TextEncoder()
const EMPTY = new Uint8Array(0)

/**
 * The bytes each token stands for, read off the vocabulary, for the two tokenizer models that
 * carry bytes: byte-level BPE (`gpt2`: Grok-2's) and SentencePiece (`llama`). Control and unused
 * tokens are empty: they are never part of the text. Undefined for other tokenizer models.
 */
export function tokenByteTable(tokenizer: GgufTokenizer): Uint8Array[] | undefined {
  const types = tokenizer.token_type ?? []
  if (tokenizer.model === 'gpt2') {
    const byteOf = new Map(bytesToUnicode().map((char, byte) => [char, byte]))
    return tokenizer.tokens.map((token, id) => {
      const type = types[id] ?? TOKEN_TYPE_NORMAL
      if (type === TOKEN_TYPE_USER_DEFINED) return utf8.encode(token)
      if (type !== TOKEN_TYPE_NORMAL) return EMPTY
      const chars = [...token]
      // A vocabulary entry outside GPT-2's byte alphabet is taken as the text it spells.
      return chars.every((char) => byteOf.has(char)) ? Uint8Array.from(chars, (char) => byteOf.get(char)!) : utf8.encode(token)
    })
  }
  if (tokenizer.model === 'llama') {
    return tokenizer.tokens.map((token, id) => {
      const type = types[id] ?? TOKEN_TYPE_NORMAL
      if (type === TOKEN_TYPE_BYTE) return Uint8Array.of(Number.parseInt(token.slice(3, -1), 16))
      if (type === TOKEN_TYPE_NORMAL || type === TOKEN_TYPE_USER_DEFINED) return utf8.encode(token.replaceAll('\u2581', ' '))
      return EMPTY
    })
  }
  return undefined
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

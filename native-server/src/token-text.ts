import { bytesToUnicode } from '@tandem/models'

/** The GGUF tokenizer keys this module reads (`tokenizer.ggml.*`). */
export interface GgufTokenizer {
  model: string
  tokens: readonly string[]
  token_type?: readonly number[] | undefined
}

// llama.cpp's token types.
const NORMAL = 1
const USER_DEFINED = 4
const BYTE = 6

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
      const type = types[id] ?? NORMAL
      if (type === USER_DEFINED) return utf8.encode(token)
      if (type !== NORMAL) return EMPTY
      const chars = [...token]
      // A vocabulary entry outside GPT-2's byte alphabet is taken as the text it spells.
      return chars.every((char) => byteOf.has(char)) ? Uint8Array.from(chars, (char) => byteOf.get(char)!) : utf8.encode(token)
    })
  }
  if (tokenizer.model === 'llama') {
    return tokenizer.tokens.map((token, id) => {
      const type = types[id] ?? NORMAL
      if (type === BYTE) return Uint8Array.of(Number.parseInt(token.slice(3, -1), 16))
      if (type === NORMAL || type === USER_DEFINED) return utf8.encode(token.replaceAll('\u2581', ' '))
      return EMPTY
    })
  }
  return undefined
}

/**
 * Generated tokens to text, never splitting a UTF-8 character: bytes of a character that is not
 * complete yet wait for the next token, and bytes that can never form one become U+FFFD (random
 * weights emit such bytes all the time). `end()` releases what is left.
 */
export class TokenTextDecoder<T = number> {
  private readonly decoder = new TextDecoder('utf-8')

  constructor(private readonly bytesOf: (token: T) => Uint8Array) {}

  push(token: T): string {
    return this.decoder.decode(this.bytesOf(token), { stream: true })
  }

  end(): string {
    return this.decoder.decode()
  }
}

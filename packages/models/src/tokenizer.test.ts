import { describe, expect, it } from 'vitest'
import { GROK_2_CHAT_TEMPLATE, TOKEN_TYPE_CONTROL, bytesToUnicode, tinyVocabulary, tokenByteTable } from './tokenizer.ts'

describe('bytesToUnicode', () => {
  it("is GPT-2's reversible byte alphabet", () => {
    const table = bytesToUnicode()
    expect(new Set(table).size).toBe(256)
    expect(table[0x20]).toBe('Ġ')
    expect(table[0x0a]).toBe('Ċ')
    expect(table[0x41]).toBe('A')
    expect(table[0xe9]).toBe('é')
  })
})

describe('tinyVocabulary', () => {
  const vocab = tinyVocabulary()

  it('maps byte b to token b so logit_bias can steer byte ranges', () => {
    expect(vocab.tokens.slice(0, 256)).toEqual(bytesToUnicode())
  })

  it('only merges pairs whose parts are already tokens, each into a token', () => {
    const known = new Set(vocab.tokens)
    for (const merge of vocab.merges) {
      const [left, right] = merge.split(' ') as [string, string]
      expect(known.has(left) && known.has(right) && known.has(left + right), merge).toBe(true)
    }
    expect(vocab.tokens).toContain('Human')
    expect(vocab.tokens).toContain('Assistant')
  })

  it('ends turns with <|separator|> as the end-of-generation token', () => {
    expect(vocab.tokens[vocab.eosId]).toBe('<|separator|>')
    expect(vocab.types[vocab.eosId]).toBe(TOKEN_TYPE_CONTROL)
    expect(vocab.types[vocab.padId]).toBe(TOKEN_TYPE_CONTROL)
    expect(vocab.types.filter((t) => t === TOKEN_TYPE_CONTROL)).toHaveLength(3)
  })
})

describe('tokenByteTable', () => {
  const vocab = tinyVocabulary()
  const table = tokenByteTable({ model: 'gpt2', tokens: vocab.tokens, token_type: vocab.types })!
  const id = (token: string) => vocab.tokens.indexOf(token)

  it('maps byte-level BPE tokens back to their bytes, control tokens to nothing', () => {
    expect([...table[0x41]!]).toEqual([0x41])
    expect([...table[0xe2]!]).toEqual([0xe2])
    expect(new TextDecoder().decode(table[id('Ġthe')])).toBe(' the')
    expect(new TextDecoder().decode(table[id('ĊĊ')])).toBe('\n\n')
    expect(table[vocab.eosId]).toHaveLength(0)
  })

  it('takes user-defined tokens and entries outside the byte alphabet as the text they spell', () => {
    const gpt2 = tokenByteTable({ model: 'gpt2', tokens: ['<tool>', '€'], token_type: [4, 1] })!
    expect(gpt2.map((bytes) => new TextDecoder().decode(bytes))).toEqual(['<tool>', '€'])
  })

  it('reads SentencePiece byte tokens and word pieces', () => {
    const spm = tokenByteTable({ model: 'llama', tokens: ['<unk>', '<0xE2>', '\u2581hi', '<s>'], token_type: [2, 6, 1, 3] })!
    expect(spm.map((bytes) => [...bytes])).toEqual([[], [0xe2], [0x20, 0x68, 0x69], []])
  })

  it('leaves other tokenizer models to the caller', () => {
    expect(tokenByteTable({ model: 'rwkv', tokens: ['a'] })).toBeUndefined()
  })
})

describe('GROK_2_CHAT_TEMPLATE', () => {
  it("carries the fragment llama.cpp uses to recognise Grok-2's template", () => {
    expect(GROK_2_CHAT_TEMPLATE).toContain("'Assistant: '  + message['content'] + '<|separator|>")
  })
})

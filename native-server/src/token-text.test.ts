import { describe, expect, it } from 'vitest'
import { tinyVocabulary } from '@tandem/models'
import { TokenTextDecoder, tokenByteTable } from './token-text.ts'

const vocab = tinyVocabulary()
const table = tokenByteTable({ model: 'gpt2', tokens: vocab.tokens, token_type: vocab.types })!
const id = (token: string) => vocab.tokens.indexOf(token)

function decodeAll(tokens: number[]): string[] {
  const decoder = new TokenTextDecoder((token) => table[token]!)
  return [...tokens.map((token) => decoder.push(token)), decoder.end()]
}

describe('tokenByteTable', () => {
  it('maps byte-level BPE tokens back to their bytes, control tokens to nothing', () => {
    expect([...table[0x41]!]).toEqual([0x41])
    expect([...table[0xe2]!]).toEqual([0xe2])
    expect(new TextDecoder().decode(table[id('Ġthe')])).toBe(' the')
    expect(new TextDecoder().decode(table[id('ĊĊ')])).toBe('\n\n')
    expect(table[vocab.eosId]).toHaveLength(0)
  })

  it('reads SentencePiece byte tokens and word pieces', () => {
    const spm = tokenByteTable({ model: 'llama', tokens: ['<unk>', '<0xE2>', '\u2581hi', '<s>'], token_type: [2, 6, 1, 3] })!
    expect(spm.map((bytes) => [...bytes])).toEqual([[], [0xe2], [0x20, 0x68, 0x69], []])
  })

  it('leaves other tokenizer models to the caller', () => {
    expect(tokenByteTable({ model: 'rwkv', tokens: ['a'] })).toBeUndefined()
  })
})

describe('TokenTextDecoder', () => {
  it('holds a character split across tokens until it is complete', () => {
    // "€" is E2 82 AC: one byte token each.
    expect(decodeAll([0x61, 0xe2, 0x82, 0xac, 0x62])).toEqual(['a', '', '', '€', 'b', ''])
  })

  it('turns bytes that can never form a character into U+FFFD, once each', () => {
    expect(decodeAll([0xe2, 0x41]).join('')).toBe('\uFFFDA')
    expect(decodeAll([0xff, 0xfe]).join('')).toBe('\uFFFD\uFFFD')
  })

  it('releases an unfinished character at the end as U+FFFD', () => {
    expect(decodeAll([0x61, 0xf0, 0x9f])).toEqual(['a', '', '', '\uFFFD'])
  })

  it('never emits a lone surrogate for any split of a 4-byte character', () => {
    const parts = decodeAll([0xf0, 0x9f, 0x98, 0x80])
    expect(parts.join('')).toBe('😀')
    expect(parts.filter((part) => part !== '')).toEqual(['😀'])
  })
})

import { describe, expect, it } from 'vitest'
import { tinyVocabulary, tokenByteTable } from '@tandem/models'
import { TokenTextDecoder } from './token-text.ts'

const vocab = tinyVocabulary()
const table = tokenByteTable({ model: 'gpt2', tokens: vocab.tokens, token_type: vocab.types })!

function decodeAll(tokens: number[]): string[] {
  const decoder = new TokenTextDecoder((token) => table[token]!)
  return [...tokens.map((token) => decoder.push(token)), decoder.end()]
}

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

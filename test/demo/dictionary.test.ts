// The demo's define_word: the exact tool the tiny model is trained to call, and the dictionary behind it.
import { describe, expect, it } from 'vitest'
import { DEFINE_WORD_TOOL } from '@tandem/models'
import { WORDS, define, defineWord } from '../../demo/src/define-word.ts'

describe("the demo's define_word", () => {
  it('offers DEFINE_WORD_TOOL as it is', () => {
    const { run, ...offered } = defineWord
    expect(typeof run).toBe('function')
    expect({ type: 'function', function: offered }).toEqual(DEFINE_WORD_TOOL)
  })

  it('ships some dozens of common words, each with a short definition', () => {
    expect(WORDS.length).toBeGreaterThanOrEqual(50)
    for (const word of WORDS) expect(define(word).length, word).toBeGreaterThan(8)
    expect(define('cat')).toBe('feline mammal usually having thick soft fur and no ability to roar: domestic cats; wildcats')
  })

  it('finds a word whatever its case, quotes, trailing punctuation or plural s, and says so when it has none', () => {
    for (const asked of ['Cat', ' "cat" ', 'cat?', 'cats']) expect(define(asked), asked).toBe(define('cat'))
    expect(define('zyzzyva')).toBe('"zyzzyva" is not in this dictionary.')
  })
})

import { describe, expect, it } from 'vitest'
import { answerTextStart, assistantContent } from './assistant-prefix.ts'

describe('answerTextStart', () => {
  it("drops the space after `Assistant:` from a new answer's first text, and only there", () => {
    const trim = answerTextStart(true)
    expect(['', ' in', ' to'].map(trim)).toEqual(['', 'in', ' to'])
    const spaceOnly = answerTextStart(true)
    expect([' ', ' a'].map(spaceOnly)).toEqual(['', ' a'])
  })

  it('keeps every character of a continued prefix', () => {
    const keep = answerTextStart(false)
    expect([' three', ' four'].map(keep)).toEqual([' three', ' four'])
  })
})

describe('assistantContent', () => {
  it('puts one space between `Assistant:` and the text, untrimmed', () => {
    expect(assistantContent(' One')).toBe('  One')
  })
})

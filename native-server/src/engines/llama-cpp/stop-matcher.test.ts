import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StopMatcher } from './stop-matcher.ts'

function run(stops: string[], pieces: string[]): { text: string; stopped: boolean } {
  const matcher = new StopMatcher(stops)
  let text = ''
  for (const piece of pieces) {
    const out = matcher.push(piece)
    text += out.text
    if (out.stopped) return { text, stopped: true }
  }
  return { text: text + matcher.end(), stopped: false }
}

describe('StopMatcher', () => {
  it('stops at a sequence inside one piece', () => {
    expect(run(['END'], ['abcENDdef'])).toEqual({ text: 'abc', stopped: true })
  })

  it('holds back a possible start and releases it when it turns out not to be one', () => {
    const matcher = new StopMatcher(['END'])
    expect(matcher.push('abcE')).toEqual({ text: 'abc', stopped: false })
    expect(matcher.push('N')).toEqual({ text: '', stopped: false })
    expect(matcher.push('x')).toEqual({ text: 'ENx', stopped: false })
  })

  it('stops at a sequence split across pieces, at the first of several to complete', () => {
    expect(run(['\n\n', 'ab'], ['x\n', '\nab'])).toEqual({ text: 'x', stopped: true })
    expect(run(['zzz', 'b'], ['azz', 'zb'])).toEqual({ text: 'a', stopped: true })
    // "a" completes before "baa" does, however the text is cut into pieces.
    expect(run(['baa', 'a'], ['baa'])).toEqual({ text: 'b', stopped: true })
    expect(run(['baa', 'a'], ['ba', 'a'])).toEqual({ text: 'b', stopped: true })
    expect(run(['ab', 'b'], ['ab'])).toEqual({ text: '', stopped: true })
  })

  it('releases what it held when the text ends without a stop', () => {
    expect(run(['END'], ['abcEN'])).toEqual({ text: 'abcEN', stopped: false })
  })

  it('ignores empty stop sequences', () => {
    expect(run([''], ['abc'])).toEqual({ text: 'abc', stopped: false })
  })

  it('gives the text before the first stop to complete, for any split of the text', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '\n')
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 3 }), { maxLength: 3 }),
        fc.string({ unit: alphabet, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (stops, text, cuts) => {
          const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b)
          const pieces = [0, ...points].map((start, i) => text.slice(start, [...points, text.length][i]))
          const found = stops.map((stop) => ({ at: text.indexOf(stop), end: text.indexOf(stop) + stop.length })).filter(({ at }) => at >= 0)
          const end = Math.min(...found.map((match) => match.end))
          const cut = Math.min(...found.filter((match) => match.end === end).map((match) => match.at))
          const expected = found.length === 0 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true }
          expect(run(stops, pieces)).toEqual(expected)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

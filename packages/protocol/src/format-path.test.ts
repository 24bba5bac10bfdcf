import { describe, expect, it } from 'vitest'
import { formatPath } from './format-path.ts'

describe('formatPath', () => {
  it('joins keys and indexes the way code reads', () => {
    expect(formatPath(['messages', 2, 'content'])).toBe('messages[2].content')
    expect(formatPath(['messages', 0, 'tool_calls', 1, 'function', 'name'])).toBe('messages[0].tool_calls[1].function.name')
    expect(formatPath(['temperature'])).toBe('temperature')
  })

  it('is empty for the root', () => {
    expect(formatPath([])).toBe('')
  })

  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['logit_bias', '50256'])).toBe('logit_bias["50256"]')
    expect(formatPath(['headers', 'x-api-key'])).toBe('headers["x-api-key"]')
    expect(formatPath([0, 'a'])).toBe('[0].a')
  })

  it('shows symbols', () => {
    expect(formatPath(['a', Symbol('s')])).toBe('a[Symbol(s)]')
  })
})

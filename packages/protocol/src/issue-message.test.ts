import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { plainErrorMap, plainIssue } from './issue-message.ts'

function firstIssue(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input, { error: plainErrorMap })
  const issue = result.error?.issues[0]
  if (!issue) throw new Error('expected an issue')
  return plainIssue(issue)
}

describe('plainErrorMap', () => {
  it.each([
    [z.string(), undefined, 'required'],
    [z.string(), 5, 'expected a string, got a number'],
    [z.number(), Number.NaN, 'expected a number, got NaN'],
    [z.object({}), null, 'expected an object, got null'],
    [z.number().int(), 0.5, 'expected an integer, got a number'],
    [z.number().max(2), 3, 'must be at most 2'],
    [z.number().lt(2), 2, 'must be less than 2'],
    [z.number().multipleOf(3), 4, 'must be a multiple of 3'],
    [z.array(z.string()).min(2), ['a'], 'expected at least 2 items'],
    [z.array(z.string()).max(1), ['a', 'b'], 'expected at most 1 item'],
    [z.string().min(1), '', 'must not be empty'],
    [z.string().max(3), 'abcd', 'expected at most 3 characters'],
    [z.enum(['a', 'b']), 'c', 'expected "a" or "b"'],
    [z.strictObject({ a: z.string() }), { a: 'x', b: 1 }, 'unknown field b'],
    [z.string().regex(/^\d+$/), 'x', 'expected to match /^\\d+$/'],
    [z.url(), 'not a url', 'expected a valid url'],
  ])('%# says it plainly', (schema, input, message) => {
    expect(firstIssue(schema, input).message).toBe(message)
  })
})

describe('plainIssue', () => {
  it('reports inside the one union branch whose shape the value has', () => {
    const schema = z.object({ stop: z.union([z.string(), z.array(z.string()).max(1)]) })
    expect(firstIssue(schema, { stop: ['a', 'b'] })).toEqual({ path: ['stop'], message: 'expected at most 1 item' })
    expect(firstIssue(schema, { stop: [3] })).toEqual({ path: ['stop', 0], message: 'expected a string, got a number' })
  })

  it('falls back to the union when no branch or several fit', () => {
    const schema = z.union([z.string(), z.number()])
    expect(firstIssue(schema, true)).toEqual({ path: [], message: 'does not match any allowed shape' })
  })

  it('reports a bad record key with its own message', () => {
    const schema = z.record(z.string().regex(/^\d+$/, 'keys must be token ids'), z.number())
    expect(firstIssue(schema, { abc: 1 })).toEqual({ path: ['abc'], message: 'keys must be token ids' })
  })
})

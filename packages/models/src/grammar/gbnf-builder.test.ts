import { readJsonSchema, type JsonSchema } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { GbnfBuilder, gbnfLiteral } from './gbnf-builder.ts'
import { JSON_RULES } from './json-rules.ts'

function read(schema: unknown): JsonSchema {
  const result = readJsonSchema(schema)
  if (!result.ok) throw new Error(result.problem.message)
  return result.schema
}

function grammarOf(schema: unknown): string {
  const builder = new GbnfBuilder()
  return builder.grammar(builder.schema(read(schema)))
}

/** Every rule a grammar names is defined in it, once. */
function undefinedRules(grammar: string): string[] {
  const rules = new Map(grammar.trim().split('\n').map((line) => line.split(' ::= ') as [string, string]))
  expect(rules.size).toBe(grammar.trim().split('\n').length)
  const named = [...rules.values()].flatMap((body) => body.replace(/"(\\.|[^"\\])*"|\[(\\.|[^\]\\])*\]/g, ' ').match(/[a-z][a-z0-9-]*/g) ?? [])
  return named.filter((name) => !rules.has(name))
}

describe('GbnfBuilder', () => {
  it('writes an object: required members in order, then each optional one after a comma', () => {
    const grammar = grammarOf({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { const: 'x' } }, required: ['c', 'a'] })
    expect(grammar.split('\n').slice(0, 2)).toEqual([
      'root ::= s0',
      's0-0 ::= "{" ws "\\"a\\"" ":" ws string "," ws "\\"c\\"" ":" ws "\\"x\\"" ( "," ws "\\"b\\"" ":" ws integer )? "}"',
    ])
    expect(undefinedRules(grammar)).toEqual([])
  })

  it('lets an object of optional members start with any of them', () => {
    const grammar = grammarOf({ properties: { a: { type: 'null' }, b: { type: 'boolean' } } })
    expect(grammar).toContain('s0-0 ::= "{" ws ( "\\"a\\"" ":" ws null ( "," ws "\\"b\\"" ":" ws boolean )? | "\\"b\\"" ":" ws boolean )? "}"')
  })

  it('bounds arrays and strings with repetition counts', () => {
    expect(grammarOf({ type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 4 })).toContain('"[" ws number ( "," ws number ){1,3} "]"')
    expect(grammarOf({ type: 'array', items: { type: 'number' }, maxItems: 2 })).toContain('"[" ws ( number ( "," ws number ){0,1} )? "]"')
    expect(grammarOf({ type: 'array', maxItems: 0 })).toContain('"[" ws "]"')
    expect(grammarOf({ type: 'string', minLength: 2 })).toContain('s0 ::= "\\"" char{2,} "\\""')
  })

  it('makes $defs rules of their own and names them from $ref', () => {
    const grammar = grammarOf({ $defs: { day: { type: 'string', format: 'date' } }, type: 'array', items: { $ref: '#/$defs/day' } })
    expect(grammar).toContain('s0-def0 ::= "\\"" date "\\""')
    expect(grammar).toContain('( s0-def0 ( "," ws s0-def0 )* )?')
    expect(undefinedRules(grammar)).toEqual([])
  })

  it('carries only the JSON rules it uses, and all of those it uses', () => {
    const grammar = grammarOf({ enum: ['a', 1, null, { b: [true] }] })
    expect(grammar).toBe('root ::= s0\ns0 ::= ( "\\"a\\"" | "1" | "null" | "{\\"b\\":[true]}" )\n')
    for (const format of ['date', 'time', 'date-time', 'uuid']) expect(undefinedRules(grammarOf({ type: 'string', format }))).toEqual([])
    expect(undefinedRules(grammarOf({}))).toEqual([])
    expect(Object.keys(JSON_RULES).every((name) => /^[a-z][a-z0-9-]*$/.test(name))).toBe(true)
  })

  it('writes literals that match their text exactly', () => {
    expect(gbnfLiteral('say "hi"\\\n')).toBe('"say \\"hi\\"\\\\\\n"')
  })
})

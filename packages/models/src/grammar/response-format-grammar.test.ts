import { describe, expect, it } from 'vitest'
import { grammarForResponseFormat } from './response-format-grammar.ts'

describe('grammarForResponseFormat', () => {
  it('constrains nothing for text', () => {
    expect(grammarForResponseFormat(undefined)).toBeUndefined()
    expect(grammarForResponseFormat({ type: 'text' })).toBeUndefined()
  })

  it('gives any JSON object for json_object and for a json_schema without a schema', () => {
    const object = grammarForResponseFormat({ type: 'json_object' })
    expect(object?.split('\n')[0]).toBe('root ::= " "? object')
    expect(grammarForResponseFormat({ type: 'json_schema', json_schema: { name: 'x' } })).toBe(object)
  })

  it('builds the schema, after the optional space that starts an answer', () => {
    const grammar = grammarForResponseFormat({ type: 'json_schema', json_schema: { name: 'x', schema: { type: 'boolean' } } })
    expect(grammar).toBe('root ::= " "? s0\ns0 ::= boolean\nboolean ::= "true" | "false"\n')
  })

  it('refuses a schema outside the subset with the keyword named', () => {
    expect(() => grammarForResponseFormat({ type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', pattern: 'a' } } })).toThrow(
      'response_format.json_schema.schema: "pattern" is not supported',
    )
  })
})

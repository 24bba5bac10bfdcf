import { describe, expect, it } from 'vitest'
import { responseFormatSchema } from './response-format.ts'

describe('responseFormatSchema', () => {
  it('accepts text, json_object and json_schema', () => {
    expect(responseFormatSchema.parse({ type: 'text' })).toEqual({ type: 'text' })
    expect(responseFormatSchema.parse({ type: 'json_object' })).toEqual({ type: 'json_object' })
    const schema = { type: 'json_schema', json_schema: { name: 'a', description: 'd', schema: { type: 'object' }, strict: null } }
    expect(responseFormatSchema.parse(schema)).toEqual(schema)
  })

  it('rejects unknown types and nameless schemas', () => {
    expect(responseFormatSchema.safeParse({ type: 'grammar', grammar: 'x' }).success).toBe(false)
    expect(responseFormatSchema.safeParse({ type: 'json_schema', json_schema: { name: '' } }).success).toBe(false)
  })
})

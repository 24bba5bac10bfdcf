import { describe, expect, it } from 'vitest'
import { toResponseFormat } from './response-format.ts'

describe('toResponseFormat', () => {
  it('is json_schema with a schema (named "response" unless named), json_object without, nothing for text', () => {
    const schema = { type: 'object' as const, properties: { author: { type: 'string' as const } } }
    expect(toResponseFormat({ type: 'json', schema, name: 'answer', description: 'who wrote it' })).toEqual({ type: 'json_schema', json_schema: { name: 'answer', description: 'who wrote it', schema } })
    expect(toResponseFormat({ type: 'json', schema })).toMatchObject({ json_schema: { name: 'response' } })
    expect(toResponseFormat({ type: 'json' })).toEqual({ type: 'json_object' })
    expect(toResponseFormat({ type: 'text' })).toBeUndefined()
    expect(toResponseFormat(undefined)).toBeUndefined()
  })
})

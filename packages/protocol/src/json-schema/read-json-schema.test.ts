import { describe, expect, it } from 'vitest'
import { JSON_SCHEMA_LIMITS } from './limits.ts'
import { readJsonSchema } from './read-json-schema.ts'

function problem(schema: unknown) {
  const result = readJsonSchema(schema)
  if (result.ok) throw new Error(`accepted ${JSON.stringify(schema)}`)
  return result.problem
}

function root(schema: unknown) {
  const result = readJsonSchema(schema)
  if (!result.ok) throw new Error(result.problem.message)
  return result.schema.root
}

describe('readJsonSchema', () => {
  it('reads every keyword of the subset into one node each', () => {
    const schema = {
      title: 'person',
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 40, description: 'annotations pass' },
        born: { type: 'string', format: 'date' },
        tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 1, maxItems: 3 },
        kind: { const: 'human' },
        age: { type: ['integer', 'null'] },
        home: { $ref: '#/$defs/place' },
        note: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        anything: {},
      },
      required: ['name', 'kind'],
      $defs: { place: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    }
    const result = readJsonSchema(schema)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.schema.defs.get('place')).toEqual({ kind: 'object', properties: [{ name: 'city', schema: { kind: 'string', minLength: 0 }, required: true }] })
    expect(result.schema.root).toEqual({
      kind: 'object',
      properties: [
        { name: 'name', required: true, schema: { kind: 'string', minLength: 1, maxLength: 40 } },
        { name: 'born', required: false, schema: { kind: 'string', format: 'date', minLength: 0 } },
        { name: 'tags', required: false, schema: { kind: 'array', items: { kind: 'enum', values: ['a', 'b'] }, minItems: 1, maxItems: 3 } },
        { name: 'kind', required: true, schema: { kind: 'enum', values: ['human'] } },
        { name: 'age', required: false, schema: { kind: 'any-of', options: [{ kind: 'integer' }, { kind: 'null' }] } },
        { name: 'home', required: false, schema: { kind: 'ref', name: 'place' } },
        { name: 'note', required: false, schema: { kind: 'any-of', options: [{ kind: 'string', minLength: 0 }, { kind: 'number' }] } },
        { name: 'anything', required: false, schema: { kind: 'any' } },
      ],
    })
  })

  it('tells an object without properties (any object) from one with none (only {})', () => {
    expect(root({ type: 'object' })).toEqual({ kind: 'any-object' })
    expect(root({ type: 'object', properties: {} })).toEqual({ kind: 'object', properties: [] })
    expect(root({ properties: { a: { type: 'boolean' } } })).toMatchObject({ kind: 'object' })
    expect(root({ items: { type: 'null' } })).toMatchObject({ kind: 'array', items: { kind: 'null' } })
  })

  it.each([
    [{ type: 'integer', minimum: 0 }, ['minimum'], '"minimum" is not supported'],
    [{ type: 'string', pattern: '^a' }, ['pattern'], '"pattern" is not supported'],
    [{ oneOf: [{ type: 'string' }] }, ['oneOf'], '"oneOf" is not supported'],
    [{ allOf: [{ type: 'string' }] }, ['allOf'], '"allOf" is not supported'],
    [{ type: 'object', properties: { a: { type: 'object', properties: { b: { not: {} } } } } }, ['properties', 'a', 'properties', 'b', 'not'], '"not" is not supported'],
    [{ type: 'array', items: [{ type: 'string' }] }, ['items'], 'expected a JSON Schema object'],
    [{ type: 'object', additionalProperties: { type: 'string' } }, ['additionalProperties'], '"additionalProperties" must be true or false; a schema there is not supported'],
    [{ type: 'string', format: 'email' }, ['format'], 'format "email" is not supported; supported: date, time, date-time, uuid'],
    [{ type: 'strange' }, ['type'], 'unknown type "strange"; expected one of object, array, string, number, integer, boolean, null'],
    [{ type: 'string', minItems: 1 }, ['minItems'], '"minItems" applies to arrays, and "type" does not include "array"'],
    [{ type: 'string', enum: ['a', 1] }, ['enum', 1], '1 is not of "type" string'],
    [{ enum: ['a'], const: 'a' }, ['const'], '"const" cannot be combined with "enum"'],
    [{ $ref: '#/$defs/a', type: 'string', $defs: { a: {} } }, ['type'], '"type" cannot be combined with "$ref"'],
    [{ $ref: 'https://example.com/s.json' }, ['$ref'], 'expected "#/$defs/<name>"; other references are not supported'],
    [{ $ref: '#/$defs/missing', $defs: {} }, ['$ref'], '"#/$defs/missing" names no schema in "$defs"'],
    [{ type: 'object', properties: { a: { $defs: {} } } }, ['properties', 'a', '$defs'], '"$defs" is supported at the root only'],
    [{ type: 'object', properties: {}, required: ['a'] }, ['required', 0], '"a" is required but not in "properties"'],
    [{ type: 'array', minItems: 3, maxItems: 2 }, ['maxItems'], 'less than "minItems" (3)'],
    [{ type: 'array', maxItems: 1000 }, ['maxItems'], `1000 is more than the ${JSON_SCHEMA_LIMITS.maxItems} supported`],
    [{ type: 'string', format: 'date', maxLength: 3 }, ['maxLength'], '"maxLength" cannot be combined with "format"'],
    [[{ type: 'string' }], [], 'expected a JSON Schema object'],
    [true, [], 'expected a JSON Schema object'],
  ])('refuses %j at the keyword at fault', (schema, path, message) => {
    expect(problem(schema)).toEqual({ path, message })
  })

  it('refuses recursive $ref, directly or through other definitions', () => {
    expect(problem({ $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } }, $ref: '#/$defs/node' })).toEqual({
      path: ['$defs', 'node'],
      message: 'recursive "$ref" (node → node); recursive schemas are not supported',
    })
    expect(problem({ definitions: { a: { anyOf: [{ $ref: '#/definitions/b' }] }, b: { items: { $ref: '#/definitions/a' } } } }).message).toBe(
      'recursive "$ref" (a → b → a); recursive schemas are not supported',
    )
  })

  it('accepts shared, non-recursive definitions', () => {
    const schema = { $defs: { id: { type: 'string', format: 'uuid' }, pair: { type: 'array', items: { $ref: '#/$defs/id' } } }, properties: { a: { $ref: '#/$defs/pair' }, b: { $ref: '#/$defs/id' } } }
    expect(readJsonSchema(schema).ok).toBe(true)
  })

  it('refuses a schema too deep, too large or with too many parts, saying which limit', () => {
    let deep: Record<string, unknown> = { type: 'string' }
    for (let i = 0; i <= JSON_SCHEMA_LIMITS.maxDepth; i++) deep = { type: 'array', items: deep }
    expect(problem(deep).message).toBe(`nested deeper than ${JSON_SCHEMA_LIMITS.maxDepth} levels; at most ${JSON_SCHEMA_LIMITS.maxDepth} are supported`)
    expect(problem({ type: 'string', description: 'x'.repeat(JSON_SCHEMA_LIMITS.maxBytes) }).message).toMatch(/^the schema is \d+ bytes as JSON; at most 16384 are supported$/)
    const wide = { anyOf: Array.from({ length: 16 }, () => ({ anyOf: Array.from({ length: 16 }, () => ({ anyOf: [{ type: 'null' }, { type: 'null' }] })) })) }
    expect(problem(wide).message).toBe(`the schema holds more than ${JSON_SCHEMA_LIMITS.maxNodes} schemas; at most ${JSON_SCHEMA_LIMITS.maxNodes} are supported`)
    const many = { properties: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, {}])) }
    expect(problem(many)).toEqual({ path: ['properties'], message: '65 properties; at most 64 are supported' })
  })
})

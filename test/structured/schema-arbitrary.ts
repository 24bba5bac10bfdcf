// Random schemas of the supported subset, small enough that a tiny model's answer ends well within
// max_tokens: every string and array is bounded, objects have a few properties.
import fc from 'fast-check'

const unique = <T>(values: T[]) => [...new Map(values.map((value) => [JSON.stringify(value), value])).values()]

const leaf = fc.oneof(
  fc.constantFrom({ type: 'boolean' }, { type: 'null' }, { type: 'integer' }, { type: 'number' }, { type: ['integer', 'null'] }),
  fc.integer({ min: 0, max: 12 }).map((maxLength) => ({ type: 'string', maxLength })),
  fc.constantFrom('date', 'time', 'date-time', 'uuid').map((format) => ({ type: 'string', format })),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 4 }).map((values) => ({ enum: unique(values) })),
  fc.jsonValue({ maxDepth: 1 }).map((value) => ({ const: value })),
)

export const schemaArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ node: Record<string, unknown>; object: Record<string, unknown>; array: Record<string, unknown>; anyOf: Record<string, unknown> }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array'), tie('anyOf')),
  object: fc
    .dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie('node'), { maxKeys: 4 })
    .chain((properties) => fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', properties, required }))),
  array: fc
    .record({ items: tie('node'), minItems: fc.integer({ min: 0, max: 2 }), extra: fc.integer({ min: 0, max: 2 }) })
    .map(({ items, minItems, extra }) => ({ type: 'array', items, minItems, maxItems: minItems + extra })),
  anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((anyOf) => ({ anyOf })),
})).object

// Schemas the structured-output tests ask for, and an independent check of answers against them
// (Ajv, not our own reader: a grammar bug and a reader bug must not cancel out).
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

export const SCHEMAS = {
  person: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 24 },
      age: { type: 'integer' },
      born: { type: 'string', format: 'date' },
      role: { enum: ['admin', 'user', 'guest'] },
      email: { type: ['string', 'null'], maxLength: 30 },
    },
    required: ['name', 'age', 'born', 'role'],
    additionalProperties: false,
  },
  order: {
    $defs: {
      item: { type: 'object', properties: { sku: { type: 'string', format: 'uuid' }, count: { type: 'integer' }, price: { type: 'number' } }, required: ['sku', 'count'] },
    },
    type: 'object',
    properties: {
      items: { type: 'array', items: { $ref: '#/$defs/item' }, minItems: 1, maxItems: 3 },
      at: { type: 'string', format: 'date-time' },
      paid: { type: 'boolean' },
      note: { anyOf: [{ type: 'string', maxLength: 16 }, { type: 'null' }] },
      kind: { const: 'order' },
    },
    required: ['items', 'at', 'paid', 'kind'],
  },
  tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 12 }, minItems: 2, maxItems: 4 },
} as const

const ajv = new Ajv2020({ strict: true, allErrors: true })
addFormats.default(ajv, ['date', 'time', 'date-time', 'uuid'])

/** Ajv's complaints about `value` under `schema`; empty when it validates. */
export function schemaErrors(schema: object, value: unknown): string[] {
  const validate = ajv.compile(schema)
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`)
}

/** The answer as JSON and what Ajv says of it: a test expects `{ errors: [] }` and a value. */
export function checkAnswer(schema: object, text: string | null | undefined): { value: unknown; errors: string[] } {
  let value: unknown
  try {
    value = JSON.parse(text ?? '')
  } catch (error) {
    return { value: undefined, errors: [`not JSON (${(error as Error).message}): ${JSON.stringify(text)}`] }
  }
  return { value, errors: schemaErrors(schema, value) }
}

/**
 * Whether `text` is the start of a JSON value: cut answers (finish_reason "length") must still be
 * on their way to valid JSON. It closes what is open (string, literal, number, containers) and parses.
 */
export function isJsonPrefix(text: string): boolean {
  const closers: string[] = []
  let inString = false
  let escaped = false
  for (const char of text) {
    if (inString) {
      if (escaped) escaped = false
      else if (char === '\\') escaped = true
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{') closers.push('}')
    else if (char === '[') closers.push(']')
    else if (char === '}' || char === ']') closers.pop()
  }
  let head = text
  if (inString) head += escaped ? '\\"' : '"'
  const tails = ['', 'null', '0', 'e0', 'ue', 'e', 'l', 'll', 'rue', 'alse', 'lse', 'se', ':null', '"":null']
  const close = closers.reverse().join('')
  return tails.some((tail) => {
    for (const candidate of [head + tail + close, head.replace(/,\s*$/, '') + tail + close]) {
      try {
        JSON.parse(candidate)
        return true
      } catch {
        // try the next way to close it
      }
    }
    return false
  })
}

import { JSON_SCHEMA_LIMITS as LIMITS } from './limits.ts'
import { STRING_FORMATS, type JsonSchema, type JsonValue, type ObjectProperty, type SchemaNode, type StringFormat } from './schema-node.ts'

export type SchemaPath = Array<string | number>
export interface SchemaProblem {
  /** Where, from the schema's root; its last key is the keyword at fault when one is. */
  path: SchemaPath
  message: string
}
export type ReadJsonSchemaResult = { ok: true; schema: JsonSchema } | { ok: false; problem: SchemaProblem }

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const
type TypeName = (typeof TYPES)[number]

/** Keywords that describe a value without constraining it: accepted, and of no use to a grammar. */
const ANNOTATIONS = new Set(['title', 'description', '$schema', '$id', '$comment', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly'])
const KEYWORDS_OF: Record<'object' | 'array' | 'string' | 'integer', readonly string[]> = {
  object: ['properties', 'required', 'additionalProperties'],
  array: ['items', 'minItems', 'maxItems'],
  string: ['format', 'minLength', 'maxLength'],
  integer: ['minimum', 'maximum'],
}
/**
 * Integers in an answer have at most 15 digits (the grammar's bound), so bounds at least this wide
 * hold for every answer: zod's `z.int()` writes ±2^53−1 there. Narrower ones are refused.
 */
const INTEGER_BOUND = 999_999_999_999_999
const TYPED_KEYWORDS = new Map(Object.entries(KEYWORDS_OF).flatMap(([type, keywords]) => keywords.map((keyword) => [keyword, type as TypeName])))
const KEYWORDS = new Set([...ANNOTATIONS, ...TYPED_KEYWORDS.keys(), 'type', 'enum', 'const', 'anyOf', '$ref'])
const REF = /^#\/(\$defs|definitions)\/([^/]+)$/

class Problem extends Error {
  readonly path: SchemaPath

  constructor(path: SchemaPath, message: string) {
    super(message)
    this.path = path
  }
}

/**
 * Reads a JSON Schema of the supported subset, once: types, properties, required, enum, const,
 * arrays with items and min/max items, anyOf, nested objects, `$ref` into the root's `$defs`
 * (never recursive), string formats and lengths. Anything else, or a schema past
 * `JSON_SCHEMA_LIMITS`, is a problem naming the keyword: nothing is silently ignored.
 */
export function readJsonSchema(input: unknown): ReadJsonSchemaResult {
  try {
    return { ok: true, schema: readRoot(input) }
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: { path: error.path, message: error.message } }
    throw error
  }
}

function readRoot(input: unknown): JsonSchema {
  const root = schemaObject(input, [])
  const bytes = new TextEncoder().encode(JSON.stringify(root)).length
  if (bytes > LIMITS.maxBytes) throw new Problem([], `the schema is ${bytes} bytes as JSON; at most ${LIMITS.maxBytes} are supported`)
  if ('$defs' in root && 'definitions' in root) throw new Problem(['definitions'], 'use "$defs" or "definitions", not both')
  const defsKey = 'definitions' in root ? 'definitions' : '$defs'
  const rawDefs = root[defsKey] === undefined ? {} : schemaObject(root[defsKey], [defsKey], 'expected an object of named schemas')
  const reader = new Reader(new Set(Object.keys(rawDefs)), defsKey)
  const defs = new Map<string, SchemaNode>()
  for (const [name, raw] of Object.entries(rawDefs)) defs.set(name, reader.read(raw, [defsKey, name], 1))
  const { [defsKey]: _defs, ...rest } = root
  const schema = { root: reader.read(rest, [], 0), defs }
  refuseCycles(defs, defsKey)
  return schema
}

class Reader {
  #nodes = 0
  readonly #defNames: ReadonlySet<string>
  readonly #defsKey: string

  constructor(defNames: ReadonlySet<string>, defsKey: string) {
    this.#defNames = defNames
    this.#defsKey = defsKey
  }

  read(input: unknown, path: SchemaPath, depth: number): SchemaNode {
    const schema = schemaObject(input, path)
    if (depth > LIMITS.maxDepth) throw new Problem(path, `nested deeper than ${LIMITS.maxDepth} levels; at most ${LIMITS.maxDepth} are supported`)
    if (++this.#nodes > LIMITS.maxNodes) throw new Problem(path, `the schema holds more than ${LIMITS.maxNodes} schemas; at most ${LIMITS.maxNodes} are supported`)
    for (const key of Object.keys(schema)) {
      if (key === '$defs' || key === 'definitions') throw new Problem([...path, key], `"${key}" is supported at the root only`)
      if (!KEYWORDS.has(key)) throw new Problem([...path, key], `"${key}" is not supported`)
    }
    const constraining = Object.keys(schema).filter((key) => !ANNOTATIONS.has(key))
    const alone = (keyword: string) => {
      const other = constraining.find((key) => key !== keyword)
      if (other) throw new Problem([...path, other], `"${other}" cannot be combined with "${keyword}"`)
    }
    if ('$ref' in schema) {
      alone('$ref')
      return { kind: 'ref', name: this.#refName(schema.$ref, [...path, '$ref']) }
    }
    if ('anyOf' in schema) {
      alone('anyOf')
      const options = list(schema.anyOf, [...path, 'anyOf'], LIMITS.maxAnyOf, 'schemas')
      return { kind: 'any-of', options: options.map((option, index) => this.read(option, [...path, 'anyOf', index], depth + 1)) }
    }
    const types = typesOf(schema, path)
    if ('enum' in schema || 'const' in schema) return enumOf(schema, path, types)
    const nodes = types.map((type) => this.#typed(type, schema, path, depth))
    if (nodes.length === 0) return { kind: 'any' }
    return nodes.length === 1 ? nodes[0]! : { kind: 'any-of', options: nodes }
  }

  #typed(type: TypeName, schema: Record<string, unknown>, path: SchemaPath, depth: number): SchemaNode {
    switch (type) {
      case 'object': return this.#object(schema, path, depth)
      case 'array': {
        const items = schema.items === undefined ? { kind: 'any' as const } : this.read(schema.items, [...path, 'items'], depth + 1)
        const { min, max } = bounds(schema, path, 'minItems', 'maxItems', LIMITS.maxItems)
        return { kind: 'array', items, minItems: min, ...(max === undefined ? {} : { maxItems: max }) }
      }
      case 'string': {
        const { min, max } = bounds(schema, path, 'minLength', 'maxLength', LIMITS.maxLength)
        if (schema.format === undefined) return { kind: 'string', minLength: min, ...(max === undefined ? {} : { maxLength: max }) }
        if (!STRING_FORMATS.includes(schema.format as StringFormat)) {
          throw new Problem([...path, 'format'], `format ${JSON.stringify(schema.format)} is not supported; supported: ${STRING_FORMATS.join(', ')}`)
        }
        const length = ['minLength', 'maxLength'].find((key) => key in schema)
        if (length) throw new Problem([...path, length], `"${length}" cannot be combined with "format"`)
        return { kind: 'string', format: schema.format as StringFormat, minLength: 0 }
      }
      case 'integer':
        for (const [key, ok] of [['minimum', (v: number) => v <= -INTEGER_BOUND], ['maximum', (v: number) => v >= INTEGER_BOUND]] as const) {
          const value = schema[key]
          if (value !== undefined && (typeof value !== 'number' || !ok(value))) {
            throw new Problem([...path, key], `"${key}" is not supported, except as wide as ${key === 'minimum' ? '-' : ''}${INTEGER_BOUND} or wider (every integer answer has at most 15 digits)`)
          }
        }
        return { kind: 'integer' }
      default: return { kind: type }
    }
  }

  #object(schema: Record<string, unknown>, path: SchemaPath, depth: number): SchemaNode {
    const additional = schema.additionalProperties
    if (additional !== undefined && typeof additional !== 'boolean') {
      throw new Problem([...path, 'additionalProperties'], '"additionalProperties" must be true or false; a schema there is not supported')
    }
    const required = schema.required === undefined || (Array.isArray(schema.required) && schema.required.length === 0) ? [] : list(schema.required, [...path, 'required'], LIMITS.maxProperties, 'names')
    required.forEach((name, index) => {
      if (typeof name !== 'string') throw new Problem([...path, 'required', index], 'expected a property name')
      if (required.indexOf(name) !== index) throw new Problem([...path, 'required', index], `"${name}" is listed twice`)
    })
    if (schema.properties === undefined) {
      if (required.length > 0) throw new Problem([...path, 'required', 0], `"${String(required[0])}" is required but not in "properties"`)
      return { kind: 'any-object' }
    }
    const raw = schemaObject(schema.properties, [...path, 'properties'], 'expected an object of named schemas')
    const names = Object.keys(raw)
    if (names.length > LIMITS.maxProperties) throw new Problem([...path, 'properties'], `${names.length} properties; at most ${LIMITS.maxProperties} are supported`)
    required.forEach((name, index) => {
      if (!names.includes(name as string)) throw new Problem([...path, 'required', index], `"${String(name)}" is required but not in "properties"`)
    })
    const properties = names.map((name): ObjectProperty => ({
      name,
      schema: this.read(raw[name], [...path, 'properties', name], depth + 1),
      required: required.includes(name),
    }))
    return { kind: 'object', properties }
  }

  #refName(ref: unknown, path: SchemaPath): string {
    const match = typeof ref === 'string' ? REF.exec(ref) : null
    if (!match) throw new Problem(path, `expected "#/${this.#defsKey}/<name>"; other references are not supported`)
    const name = decodePointer(match[2]!)
    if (match[1] !== this.#defsKey || !this.#defNames.has(name)) throw new Problem(path, `${JSON.stringify(ref)} names no schema in "${this.#defsKey}"`)
    return name
  }
}

function schemaObject(input: unknown, path: SchemaPath, message = 'expected a JSON Schema object'): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Problem(path, message)
  return input as Record<string, unknown>
}

function list(input: unknown, path: SchemaPath, max: number, what: string): unknown[] {
  if (!Array.isArray(input) || input.length === 0) throw new Problem(path, `expected a non-empty array of ${what}`)
  if (input.length > max) throw new Problem(path, `${input.length} ${what}; at most ${max} are supported`)
  return input
}

/** The types a schema allows: its `type`, else what its keywords imply, else none (any value). */
function typesOf(schema: Record<string, unknown>, path: SchemaPath): TypeName[] {
  const typed = Object.keys(schema).filter((key) => TYPED_KEYWORDS.has(key))
  if (schema.type === undefined) {
    const implied = [...new Set(typed.map((key) => TYPED_KEYWORDS.get(key)!))]
    if (implied.length > 1) throw new Problem([...path, typed[typed.length - 1]!], `"${typed[typed.length - 1]}" and "${typed[0]}" apply to different types; say which with "type"`)
    return implied
  }
  const raw = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (raw.length === 0) throw new Problem([...path, 'type'], 'expected a type name or a non-empty array of them')
  raw.forEach((type, index) => {
    if (!TYPES.includes(type as TypeName)) throw new Problem([...path, 'type'], `unknown type ${JSON.stringify(type)}; expected one of ${TYPES.join(', ')}`)
    if (raw.indexOf(type) !== index) throw new Problem([...path, 'type'], `"${String(type)}" is listed twice`)
  })
  const types = raw as TypeName[]
  for (const key of typed) {
    const type = TYPED_KEYWORDS.get(key)!
    if (!types.includes(type)) throw new Problem([...path, key], `"${key}" applies to ${type}s, and "type" does not include "${type}"`)
  }
  return types
}

function enumOf(schema: Record<string, unknown>, path: SchemaPath, types: TypeName[]): SchemaNode {
  if ('enum' in schema && 'const' in schema) throw new Problem([...path, 'const'], '"const" cannot be combined with "enum"')
  const keyword = 'enum' in schema ? 'enum' : 'const'
  const typed = Object.keys(schema).find((key) => TYPED_KEYWORDS.has(key))
  if (typed) throw new Problem([...path, typed], `"${typed}" cannot be combined with "${keyword}"`)
  const values = keyword === 'enum' ? list(schema.enum, [...path, 'enum'], LIMITS.maxEnumValues, 'values') : [schema.const]
  values.forEach((value, index) => {
    if (types.length > 0 && !types.some((type) => isOfType(value, type))) {
      throw new Problem(keyword === 'enum' ? [...path, 'enum', index] : [...path, 'const'], `${JSON.stringify(value)} is not of "type" ${types.join(' or ')}`)
    }
  })
  return { kind: 'enum', values: values as JsonValue[] }
}

function isOfType(value: unknown, type: TypeName): boolean {
  switch (type) {
    case 'null': return value === null
    case 'array': return Array.isArray(value)
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'integer': return Number.isInteger(value)
    default: return typeof value === type
  }
}

function bounds(schema: Record<string, unknown>, path: SchemaPath, minKey: string, maxKey: string, limit: number): { min: number; max?: number } {
  const read = (key: string): number | undefined => {
    const value = schema[key]
    if (value === undefined) return undefined
    if (!Number.isInteger(value) || (value as number) < 0) throw new Problem([...path, key], 'expected a non-negative integer')
    if ((value as number) > limit) throw new Problem([...path, key], `${String(value)} is more than the ${limit} supported`)
    return value as number
  }
  const min = read(minKey) ?? 0
  const max = read(maxKey)
  if (max !== undefined && max < min) throw new Problem([...path, maxKey], `less than "${minKey}" (${min})`)
  return max === undefined ? { min } : { min, max }
}

function decodePointer(segment: string): string {
  return decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~')
}

/** A `$defs` entry that reaches itself through `$ref`s would need an endless grammar. */
function refuseCycles(defs: ReadonlyMap<string, SchemaNode>, defsKey: string): void {
  const done = new Set<string>()
  const visit = (name: string, trail: string[]): void => {
    if (trail.includes(name)) {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' → ')
      throw new Problem([defsKey, name], `recursive "$ref" (${cycle}); recursive schemas are not supported`)
    }
    if (done.has(name)) return
    for (const next of refsIn(defs.get(name)!)) visit(next, [...trail, name])
    done.add(name)
  }
  for (const name of defs.keys()) visit(name, [])
}

function refsIn(node: SchemaNode): string[] {
  switch (node.kind) {
    case 'ref': return [node.name]
    case 'array': return refsIn(node.items)
    case 'object': return node.properties.flatMap((property) => refsIn(property.schema))
    case 'any-of': return node.options.flatMap(refsIn)
    default: return []
  }
}

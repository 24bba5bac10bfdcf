/** A JSON value, as `enum` and `const` hold them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

export const STRING_FORMATS = ['date', 'time', 'date-time', 'uuid'] as const
export type StringFormat = (typeof STRING_FORMATS)[number]

export interface ObjectProperty {
  name: string
  schema: SchemaNode
  required: boolean
}

/**
 * A schema of the supported subset, read once (`readJsonSchema`): every keyword that constrains a
 * value is here, so whoever walks it (the grammar builder) never meets a keyword it must ignore.
 */
export type SchemaNode =
  /** `{}` or an object schema with no `properties`: any JSON value of that kind. */
  | { kind: 'any' }
  | { kind: 'any-object' }
  | { kind: 'null' }
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'integer' }
  | { kind: 'string'; format?: StringFormat; minLength: number; maxLength?: number }
  | { kind: 'array'; items: SchemaNode; minItems: number; maxItems?: number }
  | { kind: 'object'; properties: ObjectProperty[] }
  /** `enum`, and `const` as a one-value enum. */
  | { kind: 'enum'; values: JsonValue[] }
  | { kind: 'any-of'; options: SchemaNode[] }
  /** `$ref` to `#/$defs/<name>` (or `#/definitions/<name>`), never recursive. */
  | { kind: 'ref'; name: string }

export interface JsonSchema {
  root: SchemaNode
  defs: ReadonlyMap<string, SchemaNode>
}

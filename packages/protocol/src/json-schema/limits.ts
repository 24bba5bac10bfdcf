/**
 * How big a schema may be. Each bound keeps the grammar built from it small enough to compile
 * in milliseconds (llama.cpp expands `x{m,n}` into n rules) and a request cheap to check.
 */
export const JSON_SCHEMA_LIMITS = {
  /** Bytes of the schema as JSON. */
  maxBytes: 16 * 1024,
  /** Nested schemas from the root (or a `$defs` entry) to the deepest leaf. */
  maxDepth: 10,
  /** Schemas in all, `$defs` included. */
  maxNodes: 500,
  /** Properties of one object, values of one `enum`, options of one `anyOf`. */
  maxProperties: 64,
  maxEnumValues: 256,
  maxAnyOf: 16,
  /** The largest `minItems`/`maxItems` and `minLength`/`maxLength`. */
  maxItems: 128,
  maxLength: 1024,
} as const

import { z } from 'zod'
import { readJsonSchema } from './read-json-schema.ts'

/**
 * A request field that holds a JSON Schema of the supported subset. The wire keeps the schema as
 * sent (a gateway forwards it unchanged); a problem is an issue at the keyword's own path.
 */
export const jsonSchemaField = z.record(z.string(), z.unknown(), { error: 'expected a JSON Schema object' }).superRefine((schema, ctx) => {
  const result = readJsonSchema(schema)
  if (!result.ok) ctx.addIssue({ code: 'custom', path: result.problem.path, message: result.problem.message })
})

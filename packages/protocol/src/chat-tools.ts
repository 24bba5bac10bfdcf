import { z } from 'zod'
import { jsonSchemaField } from './json-schema/json-schema-field.ts'

/** OpenAI's rule for function names: what a model can write back unambiguously. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/

/**
 * A tool's parameters: a JSON Schema of the supported subset (the call's arguments are generated
 * under a grammar made from it), for an object, since a call's arguments are a JSON object.
 */
const parametersSchema = jsonSchemaField
  .refine((schema) => schema.type === undefined || schema.type === 'object', { message: 'must describe an object ("type": "object")', path: ['type'] })

/** Unions on `type` with one member: a wrong `type` is then one issue, not one per missing field. */
function onlyType(message: string) {
  return { error: (issue: { code: string }) => (issue.code === 'invalid_union' ? message : undefined) }
}

/** OpenAI also has `custom` tools (free-form grammar input); Tandem serves function tools only. */
export const functionToolSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('function'),
      function: z.object({
        name: z.string().regex(TOOL_NAME, 'expected 1 to 64 letters, digits, "_" or "-"'),
        description: z.string().optional(),
        parameters: parametersSchema.optional(),
        strict: z.boolean().nullish(),
      }),
    }),
  ],
  onlyType('only function tools are supported'),
)

export const toolChoiceSchema = z.union(
  [
    z.enum(['none', 'auto', 'required']),
    z.object({
      type: z.literal('function'),
      function: z.object({ name: z.string().min(1) }),
    }),
  ],
  { error: 'expected "none", "auto", "required" or { type: "function", function: { name } }' },
)

/** A tool call the assistant made, as it appears in history and in a completion. */
export const toolCallSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      id: z.string().min(1),
      type: z.literal('function'),
      // Rendered into the prompt as JSON, so it must be JSON: a model's own calls always are.
      function: z.object({ name: z.string().regex(TOOL_NAME, 'expected 1 to 64 letters, digits, "_" or "-"'), arguments: z.string().refine(isJsonObject, 'expected a JSON object as text') }),
    }),
  ],
  onlyType('only function tool calls are supported'),
)

export type FunctionTool = z.infer<typeof functionToolSchema>
export type ToolChoice = z.infer<typeof toolChoiceSchema>
export type ToolCall = z.infer<typeof toolCallSchema>

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

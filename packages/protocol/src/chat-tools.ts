import { z } from 'zod'

/** A JSON Schema object; its contents are the model's business, not the wire's. */
const jsonSchemaObject = z.record(z.string(), z.unknown())

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
        name: z.string().min(1),
        description: z.string().optional(),
        parameters: jsonSchemaObject.optional(),
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
  [z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) })],
  onlyType('only function tool calls are supported'),
)

export type FunctionTool = z.infer<typeof functionToolSchema>
export type ToolChoice = z.infer<typeof toolChoiceSchema>
export type ToolCall = z.infer<typeof toolCallSchema>

import { z } from 'zod'
import { jsonSchemaField } from './json-schema/json-schema-field.ts'

export const responseFormatSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        // Without a schema the answer is any JSON object, as with `json_object`.
        schema: jsonSchemaField.optional(),
        // Generation is always constrained: `strict: false` asks for nothing less.
        strict: z.boolean().nullish(),
      }),
    }),
  ],
  { error: 'expected type "text", "json_object" or "json_schema"' },
)

export type ResponseFormat = z.infer<typeof responseFormatSchema>

import type { LanguageModelV4CallOptions } from '@ai-sdk/provider'
import type { ResponseFormat } from '@tandem/protocol'

type JsonSchema = Extract<ResponseFormat, { type: 'json_schema' }>['json_schema']['schema']

/**
 * The AI SDK's JSON output as `response_format`: with a schema, `json_schema` (the answer is
 * generated under a grammar made from it, so it validates); without one, `json_object`.
 */
export function toResponseFormat(format: LanguageModelV4CallOptions['responseFormat']): ResponseFormat | undefined {
  if (format?.type !== 'json') return undefined
  if (!format.schema) return { type: 'json_object' }
  // `name` is required on the wire; the AI SDK's is optional, and `response` is what it is about.
  return { type: 'json_schema', json_schema: { name: format.name ?? 'response', description: format.description, schema: format.schema as JsonSchema } }
}

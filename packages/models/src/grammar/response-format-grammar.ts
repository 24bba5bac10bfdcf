import { readJsonSchema, TandemError, type ResponseFormat } from '@tandem/protocol'
import { GbnfBuilder } from './gbnf-builder.ts'

/**
 * The grammar that constrains an answer to `response_format`, the same on every route; undefined
 * for text. A new answer may start with the space after `Assistant:` (`answerTextStart` drops it).
 */
export function grammarForResponseFormat(format: ResponseFormat | null | undefined): string | undefined {
  const builder = new GbnfBuilder()
  const answer = responseFormatRule(builder, format)
  return answer === undefined ? undefined : builder.grammar(`" "? ${answer}`)
}

/** The rule for an answer in `format`, added to `builder`; undefined for text. */
export function responseFormatRule(builder: GbnfBuilder, format: ResponseFormat | null | undefined): string | undefined {
  if (!format || format.type === 'text') return undefined
  const schema = format.type === 'json_schema' ? format.json_schema.schema : undefined
  if (schema === undefined) return builder.anyObject()
  const read = readJsonSchema(schema)
  // Requests are parsed at the boundary, which refuses these; an engine called directly still says why.
  if (!read.ok) throw new TandemError('invalid_request', `response_format.json_schema.schema: ${read.problem.message}`, { param: 'response_format.json_schema.schema' })
  return builder.schema(read.schema)
}

import { assistantPrefix, readJsonSchema, TandemError, type ChatRequest } from '@tandem/protocol'
import { offeredTools } from '../prompt/chat-turns.ts'
import { TOOL_CALL_TAIL, toolCallHead } from '../prompt/tool-format.ts'
import { GbnfBuilder, gbnfLiteral } from './gbnf-builder.ts'
import { grammarForResponseFormat, responseFormatRule } from './response-format-grammar.ts'

const NO_PARAMETERS = { type: 'object', properties: {} }

/** The grammar for a request's answer, on every route: calls when tools are offered, else its response format; undefined for free text. */
export function grammarFor(request: Pick<ChatRequest, 'messages' | 'tools' | 'tool_choice' | 'parallel_tool_calls' | 'response_format'>): string | undefined {
  return grammarForTools(request) ?? grammarForResponseFormat(request.response_format)
}

/**
 * The request's stop sequences, as a list. They cut text; an answer forced to be calls (`required`
 * or a named function) has none, since a stop sequence could only cut a call into one that does
 * not parse.
 */
export function stopsFor(request: Pick<ChatRequest, 'messages' | 'tools' | 'tool_choice' | 'stop'>): string[] {
  const forced = request.tool_choice === 'required' || typeof request.tool_choice === 'object'
  if (forced && offeredTools(request).length > 0 && assistantPrefix(request) === undefined) return []
  return typeof request.stop === 'string' ? [request.stop] : (request.stop ?? [])
}

/**
 * The grammar for a new answer when tools are offered, the same on every route; undefined when
 * none are (or the answer continues a prefix, which is text). Calls are written as
 * `tool-format.ts` says, each one's arguments constrained to its parameters' schema, so they
 * always parse. `required` and a named function allow only calls (one when
 * `parallel_tool_calls` is false). `auto` allows calls or text, decided by the answer's first
 * character: text may not start with `<`, so a call is never half-free; with a JSON response
 * format, the text is that JSON. A grammar, rather than
 * free text read afterwards, because free text may start a call whose arguments do not parse.
 */
export function grammarForTools(request: Pick<ChatRequest, 'messages' | 'tools' | 'tool_choice' | 'parallel_tool_calls' | 'response_format'>): string | undefined {
  const tools = offeredTools(request)
  if (tools.length === 0 || assistantPrefix(request) !== undefined) return undefined
  const choice = request.tool_choice
  const callable = typeof choice === 'object' ? tools.filter((tool) => tool.function.name === choice.function.name) : tools
  const builder = new GbnfBuilder()
  const calls = callable.map(({ function: { name, parameters } }, index) => {
    const read = readJsonSchema(parameters ?? NO_PARAMETERS)
    // Requests are parsed at the boundary, which refuses these; an engine called directly still says why.
    if (!read.ok) throw new TandemError('invalid_request', `tools[${index}].function.parameters: ${read.problem.message}`, { param: `tools[${index}].function.parameters` })
    return builder.rule(`call${index}`, `${gbnfLiteral(toolCallHead(name))} ${builder.schema(read.schema)} ${gbnfLiteral(TOOL_CALL_TAIL)}`)
  })
  const call = builder.rule('call', calls.join(' | '))
  const answer = request.parallel_tool_calls === false ? call : `${call}+`
  if (choice === 'required' || typeof choice === 'object') return builder.grammar(`" "? ${answer}`)
  // Text starts with neither `<` nor a second space (which would let a call through as text).
  const text = responseFormatRule(builder, request.response_format) ?? builder.rule('text', '[^< ] [^\\x00]*')
  return builder.grammar(`" "? ( ${answer} | ${text} )`)
}

import type { FunctionTool } from '@tandem/protocol'

/**
 * Grok-2 defines no tool format: its template (xai-org/grok-2's, as vLLM's Grok-2 tokenizer and
 * llama.cpp's `grok-2` template render it) knows `System:`, `Human:` and `Assistant:` turns only,
 * and its tokenizer has no tool tokens. So Tandem defines one in plain text on those three turns,
 * which any renderer of Grok-2's template (llama.cpp inside wllama included) reproduces exactly:
 * tools in a `System:` turn, a call as `<tool_call>{"name": …, "arguments": …}</tool_call>` at the
 * start of an `Assistant:` turn, results in a `System:` turn of `<tool_result>` blocks.
 */
export const TOOL_CALL_OPEN = '<tool_call>'
export const TOOL_CALL_CLOSE = '</tool_call>'

/** What a call looks like up to its arguments; the grammar writes exactly this, the parser reads it. */
export function toolCallHead(name: string): string {
  return `${TOOL_CALL_OPEN}{"name": ${JSON.stringify(name)}, "arguments": `
}

export const TOOL_CALL_TAIL = `}${TOOL_CALL_CLOSE}`

/** One call as the assistant writes it; `args` is the arguments' JSON text, kept as written. */
export function toolCallText(name: string, args: string): string {
  return toolCallHead(name) + args + TOOL_CALL_TAIL
}

/** The system turn that offers the tools. */
export function toolsSystemText(tools: readonly FunctionTool[], parallel: boolean): string {
  const lines = tools.map(({ function: { name, description, parameters } }) =>
    JSON.stringify({ name, ...(description === undefined ? {} : { description }), parameters: parameters ?? { type: 'object', properties: {} } }),
  )
  const how = parallel ? 'Several calls may follow one another; the answer ends after the last.' : 'Call one tool at most; the answer ends after it.'
  return [
    `You can call tools. To call one, begin your answer with ${toolCallText('NAME', 'ARGUMENTS')}, where ARGUMENTS is a JSON object that fits the tool's parameters. ${how} Results come back as <tool_result> blocks.`,
    '<tools>',
    ...lines,
    '</tools>',
  ].join('\n')
}

/** Tool messages that follow one another, as one system turn. */
export function toolResultsText(results: ReadonlyArray<{ name: string; content: string }>): string {
  return results.map(({ name, content }) => `<tool_result name=${JSON.stringify(name)}>${content}</tool_result>`).join('\n')
}

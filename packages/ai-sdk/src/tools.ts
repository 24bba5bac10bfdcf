import type { LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider'
import type { FunctionTool, ToolChoice } from '@tandem/protocol'

export interface ChatTools {
  tools?: FunctionTool[]
  tool_choice?: ToolChoice
}

/**
 * The AI SDK's function tools and tool choice as Chat Completions' `tools` and `tool_choice`. A
 * provider-defined tool (another provider's built-in) is a warning and is left out: nothing in
 * Tandem runs it. The schemas are checked by the routes, which answer 400 naming the field.
 */
export function toChatTools({ tools, toolChoice }: Pick<LanguageModelV4CallOptions, 'tools' | 'toolChoice'>, warnings: SharedV4Warning[]): ChatTools {
  const functions: FunctionTool[] = []
  for (const tool of tools ?? []) {
    if (tool.type === 'function') {
      functions.push({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema as FunctionTool['function']['parameters'], strict: tool.strict } })
    } else {
      warnings.push({ type: 'unsupported', feature: `provider-defined tool ${tool.id}`, details: 'Tandem calls function tools only' })
    }
  }
  if (functions.length === 0) return {}
  return { tools: functions, tool_choice: toolChoice && toToolChoice(toolChoice) }
}

function toToolChoice(choice: NonNullable<LanguageModelV4CallOptions['toolChoice']>): ToolChoice {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.toolName } } : choice.type
}

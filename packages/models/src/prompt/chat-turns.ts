import { contentText, type ChatRequest } from '@tandem/protocol'
import type { PromptTurn } from './grok2-prompt.ts'
import { toolCallText, toolResultsText, toolsSystemText } from './tool-format.ts'

export type ChatTurnsInput = Pick<ChatRequest, 'messages' | 'tools' | 'tool_choice' | 'parallel_tool_calls'>

/** The tools the model is offered: none when `tool_choice` is "none". */
export function offeredTools(request: Pick<ChatRequest, 'tools' | 'tool_choice'>): NonNullable<ChatRequest['tools']> {
  return request.tool_choice === 'none' ? [] : (request.tools ?? [])
}

/**
 * A request as Grok-2 turns, for `renderGrok2Prompt` (native-server) and for llama.cpp's own
 * template (the local route): content flattened to text, developer messages as system turns, the
 * offered tools first as a system turn, an assistant's calls after its text, and tool messages
 * that follow one another as one system turn of results (see `tool-format.ts`).
 */
export function chatTurns(request: ChatTurnsInput): PromptTurn[] {
  const tools = offeredTools(request)
  const turns: PromptTurn[] = tools.length > 0 ? [{ role: 'system', text: toolsSystemText(tools, request.parallel_tool_calls !== false) }] : []
  const callNames = new Map<string, string>()
  let results: Array<{ name: string; content: string }> = []
  const flushResults = () => {
    if (results.length > 0) turns.push({ role: 'system', text: toolResultsText(results) })
    results = []
  }
  for (const message of request.messages) {
    if (message.role === 'tool') {
      results.push({ name: callNames.get(message.tool_call_id) ?? '', content: contentText(message.content) })
      continue
    }
    flushResults()
    switch (message.role) {
      case 'system':
      case 'developer':
        turns.push({ role: 'system', text: contentText(message.content) })
        break
      case 'user':
        turns.push({ role: 'user', text: contentText(message.content) })
        break
      case 'assistant': {
        const calls = (message.tool_calls ?? []).map((call) => {
          callNames.set(call.id, call.function.name)
          return toolCallText(call.function.name, call.function.arguments)
        })
        turns.push({ role: 'assistant', text: contentText(message.content) + calls.join(''), ...(message.prefix === true ? { prefix: true } : {}) })
      }
    }
  }
  flushResults()
  return turns
}

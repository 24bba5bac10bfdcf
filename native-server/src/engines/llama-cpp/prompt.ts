import { contentText, TandemError, type ChatMessage } from '@tandem/protocol'
import type { PromptTurn } from '@tandem/models'

/**
 * Chat messages as the turns `renderGrok2Prompt` (in @tandem/models) renders: content flattened to
 * text, developer messages as system turns. Tool calls and tool messages are refused, naming the field.
 */
export function promptTurns(messages: readonly ChatMessage[]): PromptTurn[] {
  return messages.map((message, index): PromptTurn => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', text: contentText(message.content) }
      case 'user':
        return { role: 'user', text: contentText(message.content) }
      case 'assistant':
        if ((message.tool_calls?.length ?? 0) > 0) {
          throw new TandemError('unsupported', 'tool calls are not supported by this model', { param: `messages[${index}].tool_calls` })
        }
        return { role: 'assistant', text: contentText(message.content), ...(message.prefix === true ? { prefix: true } : {}) }
      case 'tool':
        throw new TandemError('unsupported', 'tool messages are not supported by this model', { param: `messages[${index}].role` })
    }
  })
}

import { UnsupportedFunctionalityError, type LanguageModelV4Prompt, type LanguageModelV4ToolResultOutput } from '@ai-sdk/provider'
import type { ChatMessage, ToolCall } from '@tandem/protocol'

/**
 * The AI SDK's prompt as the chat messages Tandem's routes take. Text only: a file part is an
 * error naming it (the Grok-2 family reads text), reasoning is not sent back to the model.
 */
export function toChatMessages(prompt: LanguageModelV4Prompt): ChatMessage[] {
  const messages: ChatMessage[] = []
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content })
        break
      case 'user': {
        const text = message.content.map((part) => (part.type === 'text' ? part.text : unsupported(`${part.type} parts in user messages`)))
        messages.push({ role: 'user', content: text.join('') })
        break
      }
      case 'assistant': {
        let content = ''
        const toolCalls: ToolCall[] = []
        // Results of calls the provider ran, inside the assistant's turn: they follow the message that made the calls.
        const results: ChatMessage[] = []
        for (const part of message.content) {
          if (part.type === 'text') content += part.text
          else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) } })
          else if (part.type === 'tool-result') results.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolOutputText(part.output) })
          else if (part.type !== 'reasoning' && part.type !== 'reasoning-file') unsupported(`${part.type} parts in assistant messages`)
        }
        messages.push({ role: 'assistant', content, ...(toolCalls.length > 0 && { tool_calls: toolCalls }) }, ...results)
        break
      }
      case 'tool':
        for (const part of message.content) {
          if (part.type === 'tool-result') messages.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolOutputText(part.output) })
        }
        break
    }
  }
  return messages
}

/** A tool's result as the text the model reads: JSON for values, the text itself for text. */
function toolOutputText(output: LanguageModelV4ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value)
    case 'execution-denied':
      return output.reason ?? 'The tool call was denied.'
    case 'content':
      return output.value.map((part) => (part.type === 'text' ? part.text : unsupported(`${part.type} parts in tool results`))).join('')
    default:
      return unsupported(`${(output as { type: string }).type} tool results`)
  }
}

function unsupported(functionality: string): never {
  throw new UnsupportedFunctionalityError({ functionality, message: `Tandem's models read text only: ${functionality} are not supported` })
}

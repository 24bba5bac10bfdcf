import { assistantContent, grammarForResponseFormat } from '@tandem/models'
import { contentText, effectiveMaxTokens, type ChatRequest } from '@tandem/protocol'

/** A chat message as wllama's chat API (llama.cpp's server) takes it. */
export type WllamaMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: NonNullable<Extract<ChatRequest['messages'][number], { role: 'assistant' }>['tool_calls']> }
  | { role: 'tool'; content: string; tool_call_id: string }

/**
 * Our request as the JSON wllama hands to llama.cpp's OpenAI-compatible chat handler. A trailing
 * assistant message is continued, not closed: that is how an assistant prefix (`prefix: true`)
 * reaches the model. llama.cpp appends it right after the generation prompt `Assistant:`, so it goes
 * as `assistantContent` (@tandem/models) writes it, as native-server renders it: a prefix then
 * renders the same on both routes and an answer continued elsewhere joins exactly.
 */
export function toWllamaParams(request: ChatRequest): Record<string, unknown> & { messages: WllamaMessage[] } {
  const prefix = request.messages.at(-1)?.role === 'assistant' && request.messages.at(-1)?.prefix === true
  const messages = request.messages.map((message, index): WllamaMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: contentText(message.content) }
      case 'user':
        return { role: 'user', content: contentText(message.content) }
      case 'tool':
        return { role: 'tool', content: contentText(message.content), tool_call_id: message.tool_call_id }
      case 'assistant':
        if (prefix && index === request.messages.length - 1) return { role: 'assistant', content: assistantContent(contentText(message.content)) }
        return {
          role: 'assistant',
          content: message.content == null ? null : contentText(message.content),
          ...(message.tool_calls ? { tool_calls: message.tool_calls } : {}),
        }
    }
  })
  const params: Record<string, unknown> & { messages: WllamaMessage[] } = { messages }
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) params[key] = value
  }
  set('max_tokens', effectiveMaxTokens(request))
  set('temperature', request.temperature)
  set('top_p', request.top_p)
  set('seed', request.seed)
  set('stop', typeof request.stop === 'string' ? [request.stop] : request.stop)
  set('logit_bias', request.logit_bias)
  set('frequency_penalty', request.frequency_penalty)
  set('presence_penalty', request.presence_penalty)
  set('ignore_eos', request.ignore_eos)
  set('tools', request.tools)
  set('tool_choice', request.tool_choice)
  // Our grammar, not llama.cpp's own response_format: both routes then constrain an answer alike.
  set('grammar', grammarForResponseFormat(request.response_format))
  return params
}

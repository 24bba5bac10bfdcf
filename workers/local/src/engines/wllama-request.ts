import { assistantContent, chatTurns, grammarFor, stopsFor } from '@tandem/models'
import { effectiveMaxTokens, type ChatRequest } from '@tandem/protocol'

/** A chat message as llama.cpp's built-in Grok-2 template (inside wllama) renders it. */
export interface WllamaMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/**
 * Our request as the JSON wllama hands to llama.cpp's OpenAI-compatible chat handler. The messages
 * are the turns @tandem/models' `chatTurns` makes, the ones native-server renders: tools, calls and
 * tool results are already text in system and assistant turns (Grok-2's template has no tool role,
 * and llama.cpp refuses `tools` without Jinja), so both routes reach the model as the same tokens.
 * A trailing assistant message is continued, not closed: that is how an assistant prefix
 * (`prefix: true`) reaches the model. llama.cpp appends it right after the generation prompt
 * `Assistant:`, so it goes as `assistantContent` writes it, as native-server renders it.
 */
export function toWllamaParams(request: ChatRequest): Record<string, unknown> & { messages: WllamaMessage[] } {
  const messages = chatTurns(request).map((turn): WllamaMessage => ({
    role: turn.role,
    content: turn.prefix === true ? assistantContent(turn.text) : turn.text,
  }))
  const params: Record<string, unknown> & { messages: WllamaMessage[] } = { messages }
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) params[key] = value
  }
  set('max_tokens', effectiveMaxTokens(request))
  set('temperature', request.temperature)
  set('top_p', request.top_p)
  set('seed', request.seed)
  const stops = stopsFor(request)
  if (stops.length > 0) params.stop = stops
  set('logit_bias', request.logit_bias)
  set('frequency_penalty', request.frequency_penalty)
  set('presence_penalty', request.presence_penalty)
  set('ignore_eos', request.ignore_eos)
  // The answer constrained as native-server constrains it (tools, else response_format): the same
  // grammar, from the same module, never llama.cpp's own response_format.
  set('grammar', grammarFor(request))
  return params
}

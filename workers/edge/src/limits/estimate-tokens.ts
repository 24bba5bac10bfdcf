import { contentText, effectiveMaxTokens, type ChatRequest } from '@tandem/protocol'

const encoder = new TextEncoder()

/**
 * Tokens to reserve before a request runs: its prompt at about four bytes a token (the
 * gateway has no tokenizer) plus its `max_tokens`. The reservation is settled against
 * the upstream's reported usage when the response ends.
 */
export function estimatePromptTokens(request: Pick<ChatRequest, 'messages' | 'tools'>): number {
  let bytes = 0
  for (const message of request.messages) {
    bytes += encoder.encode(contentText(message.content)).length
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) bytes += call.function.arguments.length + call.function.name.length
  }
  if (request.tools !== undefined) bytes += JSON.stringify(request.tools).length
  return Math.ceil(bytes / 4) + request.messages.length
}

export function reservedTokens(request: ChatRequest): number {
  return estimatePromptTokens(request) + (effectiveMaxTokens(request) ?? 0)
}

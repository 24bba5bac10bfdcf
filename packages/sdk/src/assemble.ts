import { TandemError, type ChatCompletion, type ChatCompletionChunk, type ToolCall, type Usage } from '@tandem/protocol'

/** Joins a stream's chunks into the ChatCompletion a non-streamed request returns. */
export function assembleCompletion(chunks: readonly ChatCompletionChunk[]): ChatCompletion {
  const first = chunks[0]
  if (!first) throw new TandemError('upstream_error', 'the stream ended without a chunk')
  let content = ''
  let sawContent = false
  let finishReason: ChatCompletion['choices'][number]['finish_reason'] = 'stop'
  const toolCalls: ToolCall[] = []
  let usage: Usage | undefined
  let route = first.tandem

  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage
    if (chunk.tandem) route = chunk.tandem
    for (const choice of chunk.choices) {
      if (choice.delta.content != null) {
        content += choice.delta.content
        sawContent = true
      }
      for (const call of choice.delta.tool_calls ?? []) {
        const existing = (toolCalls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } })
        if (call.id) existing.id = call.id
        if (call.function?.name) existing.function.name += call.function.name
        if (call.function?.arguments) existing.function.arguments += call.function.arguments
      }
      if (choice.finish_reason) finishReason = choice.finish_reason
    }
  }

  if (!usage) throw new TandemError('upstream_error', 'the server did not report usage (stream_options.include_usage)')
  return {
    id: first.id,
    object: 'chat.completion',
    created: first.created,
    model: first.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: sawContent || toolCalls.length === 0 ? content : null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage,
    ...(route ? { tandem: route } : {}),
  }
}

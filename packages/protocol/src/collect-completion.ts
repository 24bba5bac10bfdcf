import type { ChatCompletion, ChatCompletionChunk, FinishReason, Usage } from './chat-response.ts'
import type { ToolCall } from './chat-tools.ts'
import { TandemError } from './errors.ts'

type Logprobs = NonNullable<ChatCompletion['choices'][number]['logprobs']>

/**
 * A stream's chunks joined into the ChatCompletion a request without `stream` gets: what
 * native-server answers and what the SDK's `finalCompletion()` returns. A stream without a chunk,
 * a finish reason or usage was cut short, and is an error rather than a completion that looks whole.
 */
export async function collectCompletion(chunks: AsyncIterable<ChatCompletionChunk> | Iterable<ChatCompletionChunk>): Promise<ChatCompletion> {
  let head: ChatCompletionChunk | undefined
  let route: ChatCompletionChunk['tandem']
  let content = ''
  let refusal: string | null = null
  let finishReason: FinishReason | undefined
  let usage: Usage | undefined
  let logprobs: Logprobs | null = null
  const toolCalls: ToolCall[] = []
  for await (const chunk of chunks) {
    head ??= chunk
    if (chunk.usage) usage = chunk.usage
    if (chunk.tandem) route = chunk.tandem
    const choice = chunk.choices[0]
    if (!choice) continue
    content += choice.delta.content ?? ''
    if (choice.delta.refusal) refusal = (refusal ?? '') + choice.delta.refusal
    for (const call of choice.delta.tool_calls ?? []) {
      const slot = (toolCalls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } })
      if (call.id) slot.id = call.id
      slot.function.name += call.function?.name ?? ''
      slot.function.arguments += call.function?.arguments ?? ''
    }
    if (choice.logprobs) {
      logprobs ??= { content: null, refusal: null }
      if (choice.logprobs.content) logprobs.content = [...(logprobs.content ?? []), ...choice.logprobs.content]
      if (choice.logprobs.refusal) logprobs.refusal = [...(logprobs.refusal ?? []), ...choice.logprobs.refusal]
    }
    if (choice.finish_reason) finishReason = choice.finish_reason
  }
  if (!head) throw new TandemError('upstream_error', 'the stream ended without a chunk')
  if (!finishReason) throw new TandemError('upstream_error', 'the completion ended before it finished')
  if (!usage) throw new TandemError('upstream_error', 'the server did not report usage (stream_options.include_usage)')
  const calls = toolCalls.filter(Boolean)
  return {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: calls.length > 0 && content === '' ? null : content, refusal, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
        finish_reason: finishReason,
        logprobs,
      },
    ],
    usage,
    ...(head.system_fingerprint ? { system_fingerprint: head.system_fingerprint } : {}),
    ...(route ? { tandem: route } : {}),
  }
}

import { TandemError, type ChatCompletion, type ChatCompletionChunk, type FinishReason, type ToolCall, type Usage } from '@tandem/protocol'

type Logprobs = NonNullable<ChatCompletion['choices'][number]['logprobs']>

/** A whole completion from its chunks, for requests that do not stream. */
export async function collectCompletion(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletion> {
  let head: ChatCompletionChunk | undefined
  let content = ''
  let refusal: string | null = null
  let finishReason: FinishReason | undefined
  let usage: Usage | undefined
  let logprobs: Logprobs | null = null
  const toolCalls: ToolCall[] = []
  for await (const chunk of chunks) {
    head ??= chunk
    if (chunk.usage) usage = chunk.usage
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
  if (!head || !finishReason) throw new TandemError('upstream_error', 'the completion ended before it finished')
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
    usage: usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    ...(head.system_fingerprint ? { system_fingerprint: head.system_fingerprint } : {}),
  }
}

import { toTandemError, type ChatCompletionChunk, type FinishReason, type TandemError, type Usage } from '@tandem/protocol'

export interface GenerationSummary {
  /** How it ended: all chunks read, the consumer left early, or an error. */
  outcome: 'finished' | 'left' | 'failed'
  error?: TandemError
  finishReason?: FinishReason
  usage?: Usage
  /** From `startedAt` to the first chunk with text (or the finish, when there is no text). */
  timeToFirstTokenMs?: number
  durationMs: number
  /** Generated tokens after the first, per second of generating them. */
  tokensPerSecond?: number
}

/**
 * Passes chunks through and reports, once at the end, what the generation did: time to first
 * token, decode speed, usage, and whether it finished, failed or was left.
 */
export async function* observeGeneration(
  chunks: AsyncIterable<ChatCompletionChunk>,
  { startedAt, onEnd }: { startedAt: number; onEnd: (summary: GenerationSummary) => void },
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  let firstAt: number | undefined
  let finishReason: FinishReason | undefined
  let usage: Usage | undefined
  let outcome: GenerationSummary['outcome'] = 'left'
  let error: TandemError | undefined
  try {
    for await (const chunk of chunks) {
      const choice = chunk.choices[0]
      if (firstAt === undefined && (choice?.delta.content || choice?.delta.tool_calls || choice?.finish_reason)) firstAt = performance.now()
      if (choice?.finish_reason) finishReason = choice.finish_reason
      if (chunk.usage) usage = chunk.usage
      yield chunk
    }
    outcome = 'finished'
  } catch (thrown) {
    outcome = 'failed'
    error = toTandemError(thrown)
    throw thrown
  } finally {
    const endedAt = performance.now()
    const decoded = (usage?.completion_tokens ?? 0) - 1
    const decodeSeconds = firstAt === undefined ? 0 : (endedAt - firstAt) / 1000
    onEnd({
      outcome,
      ...(error ? { error } : {}),
      ...(finishReason ? { finishReason } : {}),
      ...(usage ? { usage } : {}),
      ...(firstAt === undefined ? {} : { timeToFirstTokenMs: firstAt - startedAt }),
      durationMs: endedAt - startedAt,
      ...(decoded > 0 && decodeSeconds > 0 ? { tokensPerSecond: decoded / decodeSeconds } : {}),
    })
  }
}

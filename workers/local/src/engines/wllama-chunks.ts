import { answerTextStart, appendDelta, ToolCallParser } from '@tandem/models'
import type { ChatCompletionChunk, FinishReason, Usage } from '@tandem/protocol'

/** The parts of a wllama (llama.cpp server) stream chunk that we read. */
export interface WllamaChunk {
  choices?: Array<{
    delta?: { role?: string; content?: string | null; tool_calls?: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']> }
    finish_reason?: string | null
  }>
  usage?: Usage | null
  timings?: { prompt_n?: number; cache_n?: number; predicted_n?: number }
}

export interface ChunkStamp {
  id: string
  created: number
  model: string
  /** Not a continued prefix: the answer's first text loses the space after `Assistant:` (`answerTextStart`, as on native-server). */
  newAnswer: boolean
  /** Tools were offered for a new answer: its text is read for calls (`ToolCallParser`, as on native-server). */
  toolCalls: boolean
}

const FINISH_REASONS: readonly string[] = ['stop', 'length', 'tool_calls', 'content_filter']

/**
 * Rewrites wllama's chunks as ours: our id and model name, no leading space on a new answer, tool
 * calls read from the text,
 * llama.cpp's extras (`timings`, `system_fingerprint`) dropped, and usage (reported, or read from the timings) as one final
 * chunk with no choices, as OpenAI sends it with `stream_options.include_usage`.
 */
export function createChunkMapper(stamp: ChunkStamp) {
  let usage: Usage | undefined
  let contentChunks = 0
  const answerStart = answerTextStart(stamp.newAnswer)
  const toolCalls = stamp.toolCalls ? new ToolCallParser() : undefined

  const base = (): Omit<ChatCompletionChunk, 'choices'> => ({ id: stamp.id, object: 'chat.completion.chunk', created: stamp.created, model: stamp.model })

  return {
    map(chunk: WllamaChunk): ChatCompletionChunk | undefined {
      if (chunk.usage) usage = chunk.usage
      else if (chunk.timings?.predicted_n !== undefined) {
        const prompt = (chunk.timings.prompt_n ?? 0) + (chunk.timings.cache_n ?? 0)
        usage = { prompt_tokens: prompt, completion_tokens: chunk.timings.predicted_n, total_tokens: prompt + chunk.timings.predicted_n }
      }
      const choice = chunk.choices?.[0]
      if (!choice) return undefined
      const delta: ChatCompletionChunk['choices'][number]['delta'] = {}
      if (choice.delta?.role === 'assistant') delta.role = 'assistant'
      const text = answerStart(choice.delta?.content ?? '')
      if (text !== '') contentChunks++
      const answer = toolCalls ? toolCalls.push(text) : text === '' ? undefined : { content: text }
      if (answer) appendDelta(delta, answer)
      let finish = choice.finish_reason && FINISH_REASONS.includes(choice.finish_reason) ? (choice.finish_reason as FinishReason) : null
      if (finish === 'stop' && toolCalls?.calledTools()) finish = 'tool_calls'
      if (delta.role === undefined && delta.content === undefined && delta.tool_calls === undefined && finish === null) return undefined
      return { ...base(), choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] }
    },

    /** The closing usage chunk; counts content chunks when the engine reported nothing. */
    usage(): ChatCompletionChunk {
      const reported = usage ?? { prompt_tokens: 0, completion_tokens: contentChunks, total_tokens: contentChunks }
      return { ...base(), choices: [], usage: reported }
    },
  }
}

import type { AnswerDelta } from '@tandem/models'
import type { ChatCompletionChunk, FinishReason, Usage } from '@tandem/protocol'

/** llama.cpp server's running counts, on every chunk when a request asks (`timings_per_token`). */
export interface Timings {
  prompt_n: number
  predicted_n: number
}

/** A chunk as this server sends it: OpenAI's, with llama.cpp's `timings` when asked for. */
export type ServedChunk = ChatCompletionChunk & { timings?: Timings }

/** The chunks of one completion, all with the same id, time and model. */
export function chunkMaker({ id, created, model }: { id: string; created: number; model: string }) {
  const base = { id, object: 'chat.completion.chunk' as const, created, model }
  let roleSent = false
  // The first chunk names the role, as OpenAI's do.
  const withRole = (delta: AnswerDelta) => {
    const first = !roleSent
    roleSent = true
    return first ? { role: 'assistant' as const, ...delta } : delta
  }
  const timed = (timings: Timings | undefined) => (timings ? { timings } : {})
  return {
    delta(delta: AnswerDelta, timings?: Timings): ServedChunk {
      return { ...base, choices: [{ index: 0, delta: withRole(delta), finish_reason: null }], ...timed(timings) }
    },
    finish(reason: FinishReason, timings?: Timings): ServedChunk {
      return { ...base, choices: [{ index: 0, delta: roleSent ? {} : withRole({ content: '' }), finish_reason: reason }], ...timed(timings) }
    },
    usage(usage: Usage): ChatCompletionChunk {
      return { ...base, choices: [], usage }
    },
  }
}

import type { ChatCompletionChunk, FinishReason, Usage } from '@tandem/protocol'

/** The chunks of one completion, all with the same id, time and model. */
export function chunkMaker({ id, created, model }: { id: string; created: number; model: string }) {
  const base = { id, object: 'chat.completion.chunk' as const, created, model }
  let roleSent = false
  // The first chunk names the role, as OpenAI's do.
  const delta = (content: string) => {
    const first = !roleSent
    roleSent = true
    return first ? { role: 'assistant' as const, content } : { content }
  }
  return {
    text(content: string): ChatCompletionChunk {
      return { ...base, choices: [{ index: 0, delta: delta(content), finish_reason: null }] }
    },
    finish(reason: FinishReason): ChatCompletionChunk {
      return { ...base, choices: [{ index: 0, delta: roleSent ? {} : delta(''), finish_reason: reason }] }
    },
    usage(usage: Usage): ChatCompletionChunk {
      return { ...base, choices: [], usage }
    },
  }
}

import type { LanguageModelV4StreamPart } from '@ai-sdk/provider'
import type { ChatCompletionChunk } from '@tandem/protocol'

type ToolCallDelta = NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number]

interface OpenCall {
  id: string
  name: string
  input: string
}

/**
 * Streamed `delta.tool_calls` as the AI SDK's tool parts: `tool-input-start` when a call's id and
 * name arrive, `tool-input-delta` for each piece of its arguments, and at the end of the answer
 * `tool-input-end` then `tool-call` with the whole input. Only an answer that finished with
 * `tool_calls` makes its calls `tool-call`s: one cut by an error or by `max_tokens` ends its inputs,
 * whose arguments are not whole, and calls nothing.
 */
export class ToolCallParts {
  readonly #calls = new Map<number, OpenCall>()

  observe(deltas: ToolCallDelta[]): LanguageModelV4StreamPart[] {
    const parts: LanguageModelV4StreamPart[] = []
    for (const delta of deltas) {
      let call = this.#calls.get(delta.index)
      if (!call) {
        call = { id: delta.id ?? `call_${delta.index}`, name: delta.function?.name ?? '', input: '' }
        this.#calls.set(delta.index, call)
        parts.push({ type: 'tool-input-start', id: call.id, toolName: call.name })
      }
      const piece = delta.function?.arguments
      if (piece) {
        call.input += piece
        parts.push({ type: 'tool-input-delta', id: call.id, delta: piece })
      }
    }
    return parts
  }

  end({ complete }: { complete: boolean }): LanguageModelV4StreamPart[] {
    const parts: LanguageModelV4StreamPart[] = []
    for (const call of this.#calls.values()) {
      parts.push({ type: 'tool-input-end', id: call.id })
      if (complete) parts.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input || '{}' })
    }
    this.#calls.clear()
    return parts
  }
}

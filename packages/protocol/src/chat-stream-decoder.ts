import { chatCompletionChunkSchema } from './chat-response.ts'
import type { ChatStreamPart } from './chat-stream-part.ts'
import { errorFromJson, TandemError, toTandemError } from './errors.ts'
import { decodeSse } from './sse-decoder.ts'
import type { SseEvent } from './sse-event-parser.ts'
import { iterateStream } from './stream-iterator.ts'
import { parseWith } from './validate.ts'

function excerpt(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

function malformed(message: string): ChatStreamPart {
  return { type: 'error', error: new TandemError('upstream_error', message) }
}

/** One event to one part; undefined for events a chat stream does not use. */
function partFromEvent(event: SseEvent): ChatStreamPart | undefined {
  if (event.event !== 'message' && event.event !== 'error') return undefined
  if (event.event === 'message' && event.data === '[DONE]') return { type: 'done' }
  const json = parseJson(event.data)
  if (!json.ok) return malformed(`stream data is not JSON: ${excerpt(event.data)}`)
  // OpenAI sends a mid-stream error as a plain `data:` line holding an error envelope.
  const isError = event.event === 'error' || (typeof json.value === 'object' && json.value !== null && 'error' in json.value)
  if (isError) return { type: 'error', error: errorFromJson(json.value) ?? new TandemError('upstream_error', `malformed error event: ${excerpt(event.data)}`) }
  const chunk = parseWith(chatCompletionChunkSchema, json.value, 'chunk', 'upstream_error')
  if (!chunk.ok) return malformed(`invalid stream chunk: ${chunk.error.message}`)
  return { type: 'chunk', chunk: chunk.value }
}

/**
 * A chat completion SSE body (from `fetch`, a worker, a test) as typed parts. It ends after
 * `done` or the first error (no `done` ever follows an error), cancelling the body; a body that
 * ends with neither gets a retryable `upstream_error` part, so a cut connection is never mistaken
 * for a finished answer, and a body that fails while being read yields an error part too
 * (`aborted` for an abort).
 */
export async function* decodeChatStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatStreamPart, void, undefined> {
  try {
    // Events map to parts in this loop rather than in another stream stage: a hop per event costs more than the mapping.
    for await (const event of iterateStream(decodeSse(body))) {
      const part = partFromEvent(event)
      if (!part) continue
      yield part
      if (part.type !== 'chunk') return
    }
  } catch (error) {
    yield { type: 'error', error: toTandemError(error, 'upstream_unavailable') }
    return
  }
  yield malformed('the stream ended before [DONE]')
}

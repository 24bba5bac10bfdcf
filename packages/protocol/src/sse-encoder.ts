import type { ChatCompletionChunk } from './chat-response.ts'
import type { ChatStreamPart } from './chat-stream-part.ts'
import { TandemError, toTandemError } from './errors.ts'

export const SSE_DONE = 'data: [DONE]\n\n'
export const SSE_PING = ': ping\n\n'

const lineBreak = /\r\n|\r|\n/

/** Any event as SSE text; data with line breaks becomes several `data:` lines. */
export function formatSseEvent({ event, data, id }: { event?: string; data: string; id?: string }): string {
  if ((event !== undefined && lineBreak.test(event)) || (id !== undefined && lineBreak.test(id))) {
    throw new TandemError('internal', 'SSE event names and ids cannot contain line breaks')
  }
  let text = event === undefined || event === 'message' ? '' : `event: ${event}\n`
  if (id !== undefined) text += `id: ${id}\n`
  for (const line of data.split(lineBreak)) text += `data: ${line}\n`
  return `${text}\n`
}

/** One part as SSE text: a chunk as `data:`, an error as `event: error`, done as `[DONE]`. */
export function encodeChatPart(part: ChatStreamPart): string {
  switch (part.type) {
    case 'chunk': return formatSseEvent({ data: JSON.stringify(part.chunk) })
    case 'error': return formatSseEvent({ event: 'error', data: JSON.stringify(part.error.toEnvelope()) })
    case 'done': return SSE_DONE
  }
}

const encoder = new TextEncoder()

/** Parts to bytes, for streams that already carry parts (`parts.pipeThrough(…)`). */
export function createSseEncoderStream(): TransformStream<ChatStreamPart, Uint8Array> {
  return new TransformStream({
    transform(part, controller) {
      controller.enqueue(encoder.encode(encodeChatPart(part)))
    },
  })
}

export interface EncodeChatStreamOptions {
  /** Send `: ping` after this many ms without output, so proxies keep the connection. */
  heartbeatMs?: number
}

/**
 * Chunks to an SSE body: each chunk, then `[DONE]`; or, if the chunks throw, an
 * `event: error` and the end (never `[DONE]` after an error). Cancelling the body — the
 * client went away — returns the iterator, which lets the producer stop generating.
 */
export function encodeChatStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  { heartbeatMs }: EncodeChatStreamOptions = {},
): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]()
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let lastWrite = Date.now()
  let cancelled = false

  function stopHeartbeat(): void {
    if (heartbeat !== undefined) clearInterval(heartbeat)
    heartbeat = undefined
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (heartbeatMs === undefined || heartbeatMs <= 0) return
      heartbeat = setInterval(function ping() {
        if (Date.now() - lastWrite < heartbeatMs) return
        lastWrite = Date.now()
        controller.enqueue(encoder.encode(SSE_PING))
      }, heartbeatMs)
    },
    async pull(controller) {
      let part: ChatStreamPart
      try {
        const next = await iterator.next()
        part = next.done ? { type: 'done' } : { type: 'chunk', chunk: next.value }
      } catch (error) {
        part = { type: 'error', error: toTandemError(error) }
      }
      if (cancelled) return
      lastWrite = Date.now()
      controller.enqueue(encoder.encode(encodeChatPart(part)))
      if (part.type !== 'chunk') {
        stopHeartbeat()
        controller.close()
      }
    },
    async cancel(reason) {
      cancelled = true
      stopHeartbeat()
      await iterator.return?.(reason)
    },
  })
}

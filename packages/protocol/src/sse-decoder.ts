import { lineSplitter } from './sse-line-splitter.ts'
import { eventParser, type SseEvent } from './sse-event-parser.ts'
import { iterateStream } from './stream-iterator.ts'
import { createUtf8DecoderStream } from './utf8-decoder-stream.ts'

/** Bytes → text → lines → events. Correct for any split of the bytes. */
export function decodeSse(body: ReadableStream<Uint8Array>): ReadableStream<SseEvent> {
  return body.pipeThrough(createUtf8DecoderStream()).pipeThrough(createSseParser())
}

/** Lines and events in one stage: a stream hop per line costs more than the parsing itself. */
function createSseParser(): TransformStream<string, SseEvent> {
  const split = lineSplitter()
  const parse = eventParser()
  return new TransformStream({
    transform(text, controller) {
      split(text, (line) => parse(line, (event) => controller.enqueue(event)))
    },
  })
}

/**
 * The events in a piece of SSE text that ends on an event boundary (as the gateway's byte-exact
 * relay cuts them), by the same rules as `decodeSse`.
 */
export function parseSseText(text: string): SseEvent[] {
  const events: SseEvent[] = []
  const split = lineSplitter()
  const parse = eventParser()
  split(text, (line) => parse(line, (event) => events.push(event)))
  return events
}

/** The events of an SSE body; leaving the loop early cancels the body. */
export function sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  return iterateStream(decodeSse(body))
}

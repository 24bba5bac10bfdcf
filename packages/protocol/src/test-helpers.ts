// Shared by the tests of this package only; not part of the public surface.
import { iterateStream } from './stream-iterator.ts'

const encoder = new TextEncoder()

/** A stream that yields these pieces, then closes. */
export function streamOf<T>(pieces: readonly T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece)
      controller.close()
    },
  })
}

export function bytesOf(text: string): Uint8Array {
  return encoder.encode(text)
}

/** The bytes cut at these offsets (sorted, deduplicated, out-of-range ignored). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts)].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let start = 0
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.slice(start, point))
    start = point
  }
  return pieces
}

export async function collect<T>(source: ReadableStream<T> | AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  const iterable = source instanceof ReadableStream ? iterateStream(source) : source
  for await (const item of iterable) items.push(item)
  return items
}

export async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  for (const bytes of await collect(stream)) text += decoder.decode(bytes, { stream: true })
  return text + decoder.decode()
}

/**
 * A ReadableStream as an async iterable, on every runtime (Safari's streams were not
 * async-iterable until recently). Leaving the loop early — `break`, `return`, a throw —
 * cancels the stream, which lets a fetch body close its connection.
 */
export async function* iterateStream<T>(stream: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader()
  let finished = false
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) {
        finished = true
        return
      }
      yield value
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

/**
 * Bytes to text, a character split across chunks held until its last byte arrives. Like
 * the platform's TextDecoderStream, but typed for any `Uint8Array` (TypeScript's DOM types
 * give TextDecoderStream an `ArrayBuffer`-only input, which `fetch` bodies satisfy and
 * other byte streams may not). A leading BOM is dropped, as EventSource does.
 */
export function createUtf8DecoderStream(): TransformStream<Uint8Array, string> {
  const decoder = new TextDecoder('utf-8')
  return new TransformStream({
    transform(bytes, controller) {
      const text = decoder.decode(bytes, { stream: true })
      if (text !== '') controller.enqueue(text)
    },
    flush(controller) {
      const rest = decoder.decode()
      if (rest !== '') controller.enqueue(rest)
    },
  })
}

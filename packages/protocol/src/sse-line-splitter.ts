const LF = 10
const CR = 13

/**
 * Text to lines, ending at CRLF, LF or CR. A CR that ends one chunk is a line ending at
 * once; an LF that then starts the next chunk belongs to it and is skipped. A last line
 * with no ending is dropped: in SSE it could only belong to an event that never finished.
 */
export function lineSplitter(): (text: string, onLine: (line: string) => void) => void {
  let pending = ''
  let skipLeadingLf = false
  return function split(text, onLine) {
    let start = 0
    if (skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === LF) start = 1
      skipLeadingLf = false
    }
    for (let i = start; i < text.length; i++) {
      const char = text.charCodeAt(i)
      if (char !== LF && char !== CR) continue
      onLine(pending + text.slice(start, i))
      pending = ''
      if (char === CR) {
        if (i + 1 === text.length) skipLeadingLf = true
        else if (text.charCodeAt(i + 1) === LF) i++
      }
      start = i + 1
    }
    pending += text.slice(start)
  }
}

/** `lineSplitter` as a stream stage. */
export function createLineSplitter(): TransformStream<string, string> {
  const split = lineSplitter()
  return new TransformStream({
    transform(text, controller) {
      split(text, (line) => controller.enqueue(line))
    },
  })
}

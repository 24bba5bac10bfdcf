// A strict reader of SSE bodies, apart from @tandem/protocol's decoder so it can judge it: the
// bytes must be UTF-8, every event must end with a blank line, and every line must be a field or
// a comment. It keeps what a lenient decoder would forgive (stray lines, a tail without its blank
// line) so a test can assert there is none.

export interface RawEvent {
  /** `message` unless an `event:` line names another. */
  readonly event: string
  readonly data: string
}

export interface RawSse {
  /** The whole body. */
  readonly text: string
  readonly events: RawEvent[]
  /** Comment-only blocks (`: ping` heartbeats). */
  readonly comments: number
  /** Lines that are neither a known field nor a comment. */
  readonly strayLines: string[]
  /** Bytes after the last blank line: an event cut off mid-way. */
  readonly tail: string
}

const FIELD = /^(event|data|id|retry)(?:: ?(.*))?$/

/** Reads the whole body; rejects only if reading it fails (a broken connection) or it is not UTF-8. */
export async function readSse(body: ReadableStream<Uint8Array>): Promise<RawSse> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let text = ''
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  text += decoder.decode()

  const blocks = text.split('\n\n')
  const tail = blocks.pop()!
  const events: RawEvent[] = []
  const strayLines: string[] = []
  let comments = 0
  for (const block of blocks) {
    let event = 'message'
    let data: string | undefined
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue
      const field = FIELD.exec(line)
      if (!field) strayLines.push(line)
      else if (field[1] === 'event') event = field[2] ?? ''
      else if (field[1] === 'data') data = data === undefined ? (field[2] ?? '') : `${data}\n${field[2] ?? ''}`
    }
    if (data === undefined) comments++
    else events.push({ event, data })
  }
  return { text, events, comments, strayLines, tail }
}

/** An inclusive span of bytes, as HTTP writes it. */
export interface ByteRange {
  readonly start: number
  readonly end: number
}

/**
 * The one `bytes=` range a Range header asks of a `size`-byte body: the span, `unsatisfiable`
 * (416), or undefined when there is no header, it is malformed, or it asks for several ranges —
 * RFC 9110 lets a server answer those with the whole body, which is simpler than multipart.
 */
export function byteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '')
  if (!match) return undefined
  const [, first = '', last = ''] = match
  if (first === '') {
    if (last === '') return undefined
    // A suffix: the last N bytes.
    const length = Number(last)
    return length === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  if (last !== '' && Number(last) < start) return undefined
  return start >= size ? 'unsatisfiable' : { start, end: Math.min(last === '' ? Infinity : Number(last), size - 1) }
}

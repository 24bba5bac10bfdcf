import { TandemError } from './errors.ts'

/**
 * A request's body as text, refused with 413 (`payload_too_large`) past `maxBytes`: from its
 * Content-Length before anything is read, or while a body without one arrives. A body with a
 * Content-Length is read in one `text()` call, which lets @hono/node-server take it straight from
 * the socket; touching `request.body` first would make it build a web stream for it. A body that
 * breaks off is the client's doing: `aborted` (499).
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  try {
    return await readWithin(request, maxBytes)
  } catch (error) {
    if (TandemError.isInstance(error)) throw error
    // The body stopped coming: the client hung up mid-upload. Its failure (499), not the server's.
    throw new TandemError('aborted', 'request body: the client stopped sending it before the end', { cause: error })
  }
}

async function readWithin(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new TandemError('payload_too_large', `request body: larger than ${maxBytes} bytes`)
  const length = request.headers.get('content-length')
  if (length !== null && !request.headers.has('transfer-encoding')) {
    if (Number(length) > maxBytes) throw tooLarge()
    return request.text()
  }
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    text += decoder.decode(read.value, { stream: true })
  }
  return text + decoder.decode()
}

import { describe, expect, it } from 'vitest'
import { readBodyText } from './read-body.ts'

const post = (body: BodyInit, headers: Record<string, string> = {}) => new Request('http://x/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

/** A body without Content-Length, as a chunked upload arrives, in pieces. */
function chunked(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece))
      controller.close()
    },
  })
}

describe('readBodyText', () => {
  it('reads a body within the limit, announced or not, and a missing one as empty', async () => {
    expect(await readBodyText(post('{"a":1}', { 'content-length': '7' }), 7)).toBe('{"a":1}')
    expect(await readBodyText(post(chunked('{"a"', ':"é"}')), 16)).toBe('{"a":"é"}')
    expect(await readBodyText(new Request('http://x/', { method: 'POST' }), 16)).toBe('')
  })

  it('refuses an announced length over the limit before reading, and an unannounced body once it passes it', async () => {
    let pulled = false
    const never = new ReadableStream({ pull: () => void (pulled = true) }, { highWaterMark: 0 })
    await expect(readBodyText(post(never, { 'content-length': '9' }), 8)).rejects.toMatchObject({ code: 'payload_too_large', status: 413, message: 'request body: larger than 8 bytes' })
    expect(pulled).toBe(false)

    let cancelled = false
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(4)),
      cancel: () => void (cancelled = true),
    })
    await expect(readBodyText(post(endless), 10)).rejects.toMatchObject({ code: 'payload_too_large' })
    expect(cancelled).toBe(true)
  })

  it('reports a body that breaks off as the client’s abort (499), announced or not', async () => {
    const broken = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"mess'))
          controller.error(new TypeError('terminated'))
        },
      })
    for (const request of [post(broken(), { 'content-length': '100' }), post(broken())]) {
      await expect(readBodyText(request, 1000)).rejects.toMatchObject({ code: 'aborted', status: 499, message: 'request body: the client stopped sending it before the end' })
    }
  })
})

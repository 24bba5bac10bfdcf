import { Agent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { UpstreamFetch, UpstreamRequest, UpstreamResponse } from '../../upstreams/upstream-fetch.ts'

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(message.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.set(name, value)
  }
  return headers
}

const cutShort = () => new TypeError('the connection closed before the response ended')

/**
 * An answer read straight from the socket: a whole body (`text()`) without any web
 * stream, a streamed one (`body`) as a web stream that reads only as fast as it is read.
 */
class NodeUpstreamResponse implements UpstreamResponse {
  readonly status: number
  readonly headers: Headers
  readonly #message: IncomingMessage
  readonly #abort: (reason: unknown) => void
  #body: ReadableStream<Uint8Array> | undefined

  constructor(message: IncomingMessage, abort: (reason: unknown) => void) {
    this.status = message.statusCode ?? 502
    this.headers = headersOf(message)
    this.#message = message
    this.#abort = abort
  }

  get body(): ReadableStream<Uint8Array> {
    this.#body ??= this.#stream()
    return this.#body
  }

  text(): Promise<string> {
    if (this.#body !== undefined) return new Response(this.#body).text()
    const message = this.#message
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      message.on('data', (chunk: Buffer) => chunks.push(chunk))
      message.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      message.once('error', reject)
      message.once('close', () => reject(cutShort()))
    })
  }

  #stream(): ReadableStream<Uint8Array> {
    const message = this.#message
    const abort = this.#abort
    let open = true
    return new ReadableStream<Uint8Array>(
      {
        start(controller) {
          function fail(error: unknown) {
            if (!open) return
            open = false
            controller.error(error)
          }
          message.pause()
          message.on('data', (chunk: Buffer) => {
            if (!open) return
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
            if ((controller.desiredSize ?? 0) <= 0) message.pause()
          })
          message.on('end', () => {
            if (!open) return
            open = false
            controller.close()
          })
          message.on('error', fail)
          message.on('close', () => fail(cutShort()))
        },
        pull() {
          message.resume()
        },
        cancel(reason) {
          open = false
          abort(reason)
        },
      },
      { highWaterMark: 1 },
    )
  }
}

/**
 * The upstream client of the Node entry: node:http with keep-alive. Node's fetch
 * (undici) spends about three times the CPU per request, most of what the gateway would
 * add to a small request. Workers keep their native fetch.
 */
export function createHttpFetch({ maxSockets = 256 }: { maxSockets?: number } = {}): UpstreamFetch {
  const agents = { 'http:': new Agent({ keepAlive: true, maxSockets }), 'https:': new HttpsAgent({ keepAlive: true, maxSockets }) }
  return function httpFetch(url: string, { method, headers, body, signal }: UpstreamRequest): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const target = new URL(url)
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest
      const outgoing = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }
      const abort = (reason: unknown) => request.destroy(reason instanceof Error ? reason : new DOMException('aborted', 'AbortError'))
      const request = send(target, { method, headers: outgoing, agent: agents[target.protocol as 'http:' | 'https:'] }, (message) => {
        message.once('close', () => signal?.removeEventListener('abort', onAbort))
        resolve(new NodeUpstreamResponse(message, abort))
      })
      function onAbort() {
        abort(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      request.once('error', (error) => {
        signal?.removeEventListener('abort', onAbort)
        reject(error)
      })
      request.end(body)
    })
  }
}

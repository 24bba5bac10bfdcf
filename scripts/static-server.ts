import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { byteRange, type ByteRange } from './static-server/byte-range.ts'
import { fileInRoot } from './static-server/file-in-root.ts'

export interface ServedRequest {
  path: string
  range: string | undefined
  status: number
}

export interface IsolatedServer {
  url: string
  /** Every request, in order: what the browser fetched and whether it asked for a range. */
  requests: ServedRequest[]
  /** Serves `path` from memory instead of disk (settings, a doctored manifest) until the returned function is called. */
  put(path: string, body: Uint8Array | string): () => void
  /** The next GET of `path` sends full headers, then `bytes` of the body, then drops the connection. */
  cutNext(path: string, bytes: number): void
  /** Paces model shards and wasm to this many bytes per second, as a slower link would; undefined: loopback speed. */
  throttle(bytesPerSecond: number | undefined): void
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

const PLAIN = { 'content-type': 'text/plain; charset=utf-8' }

/** What `/models/` and `/embed/` send so that pages on any origin, cross-origin isolated ones included, can use them. */
const SHARED = {
  'cross-origin-resource-policy': 'cross-origin',
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'content-range, content-length, accept-ranges, etag, last-modified',
}
const PREFLIGHT = { 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'range, if-range', 'access-control-max-age': '600' }

export interface IsolatedServerOptions {
  /** The built pages. */
  root: string
  /** Served under `/models/`, to any origin. */
  models: string
  /** Served under `/embed/`, to any origin: the chat element's drop-in build. None: `/embed/` is 404. */
  embed?: string
  /** Loopback by default. */
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
}

/** Something to send: its size, validators when it is a file on disk, and a stream of any span of it. */
interface Body {
  readonly size: number
  readonly etag?: string
  readonly lastModified?: string
  read(span: ByteRange): Readable
}

/**
 * The one static server of the repository (the demo, the browser tests, the local bench): pages
 * cross-origin isolated (COOP/COEP, so wllama gets threads); `/models/` and `/embed/` open to
 * every origin; files streamed from disk with HTTP Range, never read whole, and never from outside
 * their folder (symlinks included); and the faults the browser tests inject (a cut download, a slow
 * link, a doctored file).
 */
export async function startIsolatedServer({ root, models, embed, host = '127.0.0.1', port = 0 }: IsolatedServerOptions): Promise<IsolatedServer> {
  const requests: ServedRequest[] = []
  const virtual = new Map<string, Uint8Array>()
  const cuts = new Map<string, number>()
  let pace: number | undefined

  /** Which folder a URL path is in, the path below it, and whether every origin may read it. */
  function mount(path: string): { folder: string | undefined; relative: string; shared: boolean } {
    if (path.startsWith('/models/')) return { folder: models, relative: path.slice('/models/'.length), shared: true }
    if (path.startsWith('/embed/')) return { folder: embed, relative: path.slice('/embed/'.length), shared: true }
    return { folder: root, relative: path === '/' ? 'index.html' : path.slice(1), shared: false }
  }

  async function find(path: string, folder: string | undefined, relative: string): Promise<Body | undefined> {
    const own = virtual.get(path)
    if (own) return { size: own.byteLength, read: ({ start, end }) => Readable.from([own.subarray(start, end + 1)]) }
    const file = folder === undefined ? undefined : await fileInRoot(folder, relative)
    if (!file) return undefined
    return {
      size: file.size,
      etag: `"${file.size.toString(16)}-${file.modified.getTime().toString(16)}"`,
      lastModified: file.modified.toUTCString(),
      read: ({ start, end }) => createReadStream(file.path, { start, end }),
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const record: ServedRequest = { path: req.url ?? '/', range: req.headers.range, status: 200 }
    requests.push(record)
    const reply = (status: number, headers: OutgoingHttpHeaders, text?: string) => {
      record.status = status
      res.writeHead(status, headers).end(text)
    }
    let path: string
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    } catch {
      return reply(400, PLAIN, 'bad request: the path is not valid percent-encoded UTF-8\n')
    }
    record.path = path
    if (path.includes('\0')) return reply(400, PLAIN, 'bad request: the path holds a NUL byte\n')

    const { folder, relative, shared } = mount(path)
    const headers: OutgoingHttpHeaders = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      ...(shared && SHARED),
      // Vite's hashed assets never change under their names; everything else is checked every time.
      'cache-control': path.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
      'accept-ranges': 'bytes',
    }
    if (req.method === 'OPTIONS' && shared) return reply(204, { ...headers, ...PREFLIGHT })
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { ...headers, ...PLAIN, allow: 'GET, HEAD' }, 'method not allowed\n')
    const body = await find(path, folder, relative)
    if (!body) return reply(404, { ...headers, ...PLAIN }, 'not found\n')

    headers['content-type'] = TYPES[extname(path === '/' ? '/index.html' : path)] ?? 'application/octet-stream'
    if (body.etag) Object.assign(headers, { etag: body.etag, 'last-modified': body.lastModified })
    if (body.etag && matches(req.headers['if-none-match'], body.etag)) return reply(304, headers)
    // If-Range: the range holds only while the client's copy is this file's current version.
    const ifRange = req.headers['if-range']
    const current = ifRange === undefined || (body.etag !== undefined && (ifRange === body.etag || ifRange === body.lastModified))
    const asked = current ? byteRange(req.headers.range, body.size) : undefined
    if (asked === 'unsatisfiable') return reply(416, { ...headers, 'content-range': `bytes */${body.size}` })
    const span = asked ?? { start: 0, end: body.size - 1 }
    if (asked) {
      record.status = 206
      headers['content-range'] = `bytes ${span.start}-${span.end}/${body.size}`
    }
    const length = span.end - span.start + 1
    res.writeHead(record.status, { ...headers, 'content-length': String(length) })
    if (req.method === 'HEAD' || length === 0) return void res.end()
    await send(res, path, body, span)
  }

  async function send(res: ServerResponse, path: string, body: Body, span: ByteRange) {
    const cut = cuts.get(path)
    if (cut !== undefined) {
      cuts.delete(path)
      if (cut > 0) await pipeline(body.read({ start: span.start, end: Math.min(span.end, span.start + cut - 1) }), res, { end: false })
      await sleep(50)
      res.destroy()
      return
    }
    if (pace && (path.startsWith('/models/') || path.endsWith('.wasm'))) return pipeline(body.read(span), paced(pace), res)
    return pipeline(body.read(span), res)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Headers sent: the client went away mid-body, or the file did; the connection is all there is to end.
      if (res.headersSent) return void res.destroy()
      console.error(JSON.stringify({ level: 'error', msg: 'static server: request failed', path: req.url, error: error instanceof Error ? error.message : String(error) }))
      res.writeHead(500, PLAIN).end('internal error\n')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    requests,
    put(path, content) {
      virtual.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content)
      return () => virtual.delete(path)
    },
    cutNext: (path, bytes) => cuts.set(path, bytes),
    throttle: (bytesPerSecond) => (pace = bytesPerSecond),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch?.split(',').some((tag) => [etag, `W/${etag}`, '*'].includes(tag.trim())) ?? false
}

/** The bytes in pieces of 16 KiB, each sent when a link of `bytesPerSecond` would have carried it. */
function paced(bytesPerSecond: number) {
  return async function* paced(chunks: AsyncIterable<Uint8Array>) {
    const step = 16 * 1024
    const started = performance.now()
    let sent = 0
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.byteLength; at += step) {
        const piece = chunk.subarray(at, at + step)
        yield piece
        sent += piece.byteLength
        const due = (sent / bytesPerSecond) * 1000 - (performance.now() - started)
        if (due > 0) await sleep(due)
      }
    }
  }
}

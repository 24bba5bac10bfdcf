import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

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
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}

export interface IsolatedServerOptions {
  /** The built pages. */
  root: string
  /** Served under `/models/`. */
  models: string
  /** Loopback by default. */
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
}

/**
 * The one static server of the repository (the demo, the browser tests, the local bench): pages
 * cross-origin isolated (COOP/COEP, so wllama gets threads), `/models/` from the models folder with
 * HTTP Range, and the faults the browser tests inject (a cut download, a slow link, a doctored file).
 */
export async function startIsolatedServer({ root, models, host = '127.0.0.1', port = 0 }: IsolatedServerOptions): Promise<IsolatedServer> {
  const requests: ServedRequest[] = []
  const virtual = new Map<string, Uint8Array>()
  const cuts = new Map<string, number>()
  let pace: number | undefined

  async function body(path: string): Promise<Uint8Array | undefined> {
    const own = virtual.get(path)
    if (own) return own
    const base = path.startsWith('/models/') ? models : root
    const relative = normalize(path.startsWith('/models/') ? path.slice('/models/'.length) : path === '/' ? 'index.html' : path.slice(1))
    if (relative.startsWith('..')) return undefined
    const file = join(base, relative)
    if (!(await stat(file).then((s) => s.isFile(), () => false))) return undefined
    return readFile(file)
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    const record: ServedRequest = { path, range: req.headers.range, status: 200 }
    requests.push(record)
    const headers: Record<string, string> = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'content-type': TYPES[extname(path === '/' ? '/index.html' : path)] ?? 'application/octet-stream',
      // Vite's hashed assets never change under their names; everything else is checked every time.
      'cache-control': path.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
      'accept-ranges': 'bytes',
    }
    const data = await body(path)
    if (!data) {
      record.status = 404
      res.writeHead(404, headers).end()
      return
    }
    let start = 0
    let end = data.byteLength - 1
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
    if (range) {
      start = Number(range[1])
      end = range[2] ? Math.min(Number(range[2]), end) : end
      if (start > end) {
        record.status = 416
        res.writeHead(416, { ...headers, 'content-range': `bytes */${data.byteLength}` }).end()
        return
      }
      record.status = 206
      headers['content-range'] = `bytes ${start}-${end}/${data.byteLength}`
    }
    const slice = data.subarray(start, end + 1)
    res.writeHead(record.status, { ...headers, 'content-length': String(slice.byteLength) })
    const cut = cuts.get(path)
    if (cut !== undefined && req.method === 'GET') {
      cuts.delete(path)
      res.write(slice.subarray(0, cut), () => setTimeout(() => res.destroy(), 50))
      return
    }
    if (pace && (path.startsWith('/models/') || path.endsWith('.wasm')) && req.method === 'GET') return paced(res, slice, pace)
    res.end(req.method === 'HEAD' ? undefined : slice)
  }

  async function paced(res: ServerResponse, data: Uint8Array, bytesPerSecond: number) {
    const step = 16 * 1024
    const started = performance.now()
    for (let at = 0; at < data.byteLength && !res.destroyed; at += step) {
      res.write(data.subarray(at, at + step))
      const due = ((at + step) / bytesPerSecond) * 1000 - (performance.now() - started)
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due))
    }
    res.end()
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500).end(String(error))
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

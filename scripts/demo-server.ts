// Serves the built demo: cross-origin isolated (COOP/COEP, so wllama gets threads), `/models/` from
// the models folder with HTTP Range, and `/tandem.json`, the stack's settings the page reads at start.
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

export interface DemoSettings {
  gateway: string
  model: string
  publishableKey: string
}

export interface DemoServer {
  url: string
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

export async function startDemoServer(options: { root: string; models: string; settings: DemoSettings; host?: string; port?: number }): Promise<DemoServer> {
  const { root, models, settings, host = '127.0.0.1', port = 0 } = options

  async function file(path: string): Promise<Uint8Array | undefined> {
    if (path === '/tandem.json') return new TextEncoder().encode(JSON.stringify(settings))
    const inModels = path.startsWith('/models/')
    const relative = normalize(inModels ? path.slice('/models/'.length) : path === '/' ? 'index.html' : path.slice(1))
    if (relative.startsWith('..')) return undefined
    const full = join(inModels ? models : root, relative)
    return (await stat(full).then((s) => s.isFile(), () => false)) ? readFile(full) : undefined
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    const headers: Record<string, string> = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
      'content-type': TYPES[extname(path === '/' ? '/index.html' : path)] ?? 'application/octet-stream',
      'cache-control': path.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
      'accept-ranges': 'bytes',
    }
    const data = await file(path)
    if (!data) return void res.writeHead(404, headers).end()
    let [start, end, status] = [0, data.byteLength - 1, 200]
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
    if (range) {
      start = Number(range[1])
      end = range[2] ? Math.min(Number(range[2]), end) : end
      if (start > end) return void res.writeHead(416, { ...headers, 'content-range': `bytes */${data.byteLength}` }).end()
      status = 206
      headers['content-range'] = `bytes ${start}-${end}/${data.byteLength}`
    }
    const slice = data.subarray(start, end + 1)
    res.writeHead(status, { ...headers, 'content-length': String(slice.byteLength) }).end(req.method === 'HEAD' ? undefined : slice)
  }

  const server = createServer((req, res) => void handle(req, res).catch((error) => res.writeHead(500).end(String(error))))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// The static server over real HTTP: Range, validators, the cross-origin folders, and what it refuses
// (symlinks out of its folders, paths that climb out, malformed percent-encoding). Paths are sent
// verbatim through node:http, since fetch would normalise `..` and bad escapes away.
import { request, type IncomingHttpHeaders } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startIsolatedServer, type IsolatedServer } from '../../scripts/static-server.ts'

const SHARD = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251))
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]) // the empty module

let dir: string
let server: IsolatedServer
let bare: IsolatedServer

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-static-'))
  const [site, models, embed, outside] = ['site', 'models', 'embed', 'outside'].map((name) => join(dir, name)) as [string, string, string, string]
  for (const folder of [site, models, embed, outside]) await mkdir(folder)
  await writeFile(join(site, 'index.html'), '<!doctype html><title>page</title>')
  await writeFile(join(models, 'shard.gguf'), SHARD)
  await writeFile(join(models, 'empty.gguf'), '')
  await writeFile(join(embed, 'tandem-chat.js'), 'export {}\n')
  await writeFile(join(embed, 'engine.wasm'), WASM)
  await writeFile(join(outside, 'secret.txt'), 'not for the web')
  await symlink(join(outside, 'secret.txt'), join(site, 'secret.txt'))
  await symlink(join(outside, 'secret.txt'), join(models, 'secret.gguf'))
  await symlink(outside, join(site, 'elsewhere'))
  await symlink(join(site, 'index.html'), join(site, 'alias.html')) // inside: fine
  server = await startIsolatedServer({ root: site, models, embed })
  bare = await startIsolatedServer({ root: site, models })
})

afterAll(async () => {
  await Promise.all([server?.close(), bare?.close()])
  await rm(dir, { recursive: true, force: true })
})

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** One request with `path` sent exactly as written. */
function send(path: string, { method = 'GET', headers = {}, to = server }: { method?: string; headers?: Record<string, string>; to?: IsolatedServer } = {}): Promise<Reply> {
  const { hostname, port } = new URL(to.url)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('Range', () => {
  it('answers one range with 206, Content-Range and exactly those bytes', async () => {
    const reply = await send('/models/shard.gguf', { headers: { range: 'bytes=10-19' } })
    expect(reply.status).toBe(206)
    expect(reply.headers['content-range']).toBe('bytes 10-19/1000')
    expect(reply.headers['content-length']).toBe('10')
    expect(reply.body).toEqual(SHARD.subarray(10, 20))
    expect((await send('/models/shard.gguf', { headers: { range: 'bytes=990-' } })).body).toEqual(SHARD.subarray(990))
    expect((await send('/models/shard.gguf', { headers: { range: 'bytes=-5' } })).body).toEqual(SHARD.subarray(995))
    expect((await send('/models/shard.gguf', { headers: { range: 'bytes=995-5000' } })).headers['content-range']).toBe('bytes 995-999/1000')
  })

  it('answers a range past the end with 416 and the size', async () => {
    for (const [path, range, size] of [
      ['/models/shard.gguf', 'bytes=1000-', 1000],
      ['/models/shard.gguf', 'bytes=-0', 1000],
      ['/models/empty.gguf', 'bytes=0-', 0],
    ] as const) {
      const reply = await send(path, { headers: { range } })
      expect([range, reply.status, reply.headers['content-range']]).toEqual([range, 416, `bytes */${size}`])
    }
  })

  it('answers several ranges, or a malformed one, with the whole file', async () => {
    for (const range of ['bytes=0-1,5-6', 'bytes=5-2', 'items=0-1', 'bytes=x-']) {
      const reply = await send('/models/shard.gguf', { headers: { range } })
      expect([range, reply.status, reply.body.byteLength]).toEqual([range, 200, 1000])
    }
  })

  it('answers HEAD with the headers and no body', async () => {
    const reply = await send('/models/shard.gguf', { method: 'HEAD', headers: { range: 'bytes=0-99' } })
    expect([reply.status, reply.headers['content-length'], reply.headers['content-range'], reply.body.byteLength]).toEqual([206, '100', 'bytes 0-99/1000', 0])
  })

  it('revalidates with ETag, and drops a range whose If-Range is stale', async () => {
    const first = await send('/models/shard.gguf')
    const etag = first.headers.etag!
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(first.headers['last-modified']).toBeTruthy()
    expect((await send('/models/shard.gguf', { headers: { 'if-none-match': etag } })).status).toBe(304)
    expect((await send('/models/shard.gguf', { headers: { range: 'bytes=0-9', 'if-range': etag } })).status).toBe(206)
    const stale = await send('/models/shard.gguf', { headers: { range: 'bytes=0-9', 'if-range': '"0-0"' } })
    expect([stale.status, stale.body.byteLength]).toEqual([200, 1000])
  })

  it('serves ranges of a file put in memory', async () => {
    const unput = server.put('/models/virtual.json', '{"hello":"world"}')
    try {
      const reply = await send('/models/virtual.json', { headers: { range: 'bytes=2-6' } })
      expect([reply.status, reply.body.toString(), reply.headers['content-range']]).toEqual([206, 'hello', 'bytes 2-6/17'])
    } finally {
      unput()
    }
  })

  it('cuts a download after the bytes asked for', async () => {
    server.cutNext('/models/shard.gguf', 100)
    const cut = await send('/models/shard.gguf').then(
      (reply) => reply.body.byteLength,
      (error: Error) => error.message,
    )
    expect(cut === 100 || /aborted|socket hang up|ECONNRESET/.test(String(cut))).toBe(true)
    expect((await send('/models/shard.gguf')).body.byteLength).toBe(1000)
  })
})

describe('what it refuses', () => {
  it('follows no symlink out of its folders: 404, as if absent', async () => {
    for (const path of ['/secret.txt', '/models/secret.gguf', '/elsewhere/secret.txt']) {
      const reply = await send(path)
      expect([path, reply.status]).toEqual([path, 404])
      expect(reply.body.toString()).not.toContain('not for the web')
    }
    expect((await send('/alias.html')).status).toBe(200) // a symlink that stays inside is served
  })

  it('serves nothing above its folders, however the path climbs', async () => {
    for (const path of ['/../outside/secret.txt', '/models/../outside/secret.txt', '/%2e%2e/outside/secret.txt', '/models/..%2f..%2foutside%2fsecret.txt', '/models/%2e%2e%2foutside/secret.txt']) {
      const reply = await send(path)
      expect([path, reply.status]).toEqual([path, 404])
    }
  })

  it('answers malformed percent-encoding with 400 and a plain message', async () => {
    for (const path of ['/%E0%A4%A', '/models/%zz', '/%C0%AF']) {
      const reply = await send(path)
      expect([path, reply.status]).toEqual([path, 400])
      expect(reply.headers['content-type']).toMatch(/^text\/plain/)
      expect(reply.body.toString()).toBe('bad request: the path is not valid percent-encoded UTF-8\n')
    }
    expect((await send('/%00')).status).toBe(400)
    expect((await send('/')).status).toBe(200) // and it still serves
  })

  it('answers methods other than GET and HEAD with 405', async () => {
    const reply = await send('/models/shard.gguf', { method: 'POST' })
    expect([reply.status, reply.headers.allow]).toEqual([405, 'GET, HEAD'])
  })
})

describe('cross-origin folders', () => {
  it('lets any origin read /models/ and /embed/, ranges included', async () => {
    for (const path of ['/models/shard.gguf', '/embed/tandem-chat.js', '/embed/engine.wasm', '/models/missing.gguf']) {
      const { headers } = await send(path, { headers: { origin: 'http://127.0.0.1:9000', range: 'bytes=0-3' } })
      expect([path, headers['access-control-allow-origin'], headers['cross-origin-resource-policy']]).toEqual([path, '*', 'cross-origin'])
      expect(headers['access-control-expose-headers']).toMatch(/content-range.*content-length.*etag/)
    }
    expect((await send('/embed/tandem-chat.js')).headers['content-type']).toBe('text/javascript')
    expect((await send('/embed/engine.wasm')).headers['content-type']).toBe('application/wasm')
  })

  it('answers the preflight of a Range request', async () => {
    const reply = await send('/models/shard.gguf', {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    })
    expect(reply.status).toBe(204)
    expect(reply.headers['access-control-allow-origin']).toBe('*')
    expect(reply.headers['access-control-allow-headers']).toContain('range')
    expect(reply.headers['access-control-allow-methods']).toContain('GET')
  })

  it('keeps its pages to itself and cross-origin isolated', async () => {
    const { headers } = await send('/')
    expect(headers['access-control-allow-origin']).toBeUndefined()
    expect([headers['cross-origin-resource-policy'], headers['cross-origin-embedder-policy'], headers['cross-origin-opener-policy']]).toEqual(['same-origin', 'require-corp', 'same-origin'])
  })

  it('answers /embed/ with 404 when it has no drop-in build to serve', async () => {
    expect((await send('/embed/tandem-chat.js', { to: bare })).status).toBe(404)
  })
})

// A page on another origin — cross-origin isolated (COOP + COEP require-corp), as a page that runs
// wllama with threads must be — uses the dev stack's /models/ and /embed/ in Chromium: the manifest,
// a shard by Range (resolved against the manifest's URL, as workers/local does), a module script and
// a wasm module. The stack's pages themselves stay closed to it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ensureTinyModel } from '@tandem/models/node'
import { launchChromium } from '../../scripts/browser-harness/index.ts'
import { startIsolatedServer, type IsolatedServer } from '../../scripts/static-server.ts'

let dir: string
let stack: IsolatedServer
let site: IsolatedServer
let browser: Awaited<ReturnType<typeof launchChromium>>

beforeAll(async () => {
  const model = await ensureTinyModel()
  dir = await mkdtemp(join(tmpdir(), 'tandem-cross-origin-'))
  for (const folder of ['stack', 'embed', 'site']) await mkdir(join(dir, folder))
  await writeFile(join(dir, 'stack', 'index.html'), '<!doctype html><title>the stack</title>')
  await writeFile(join(dir, 'embed', 'tandem-chat.js'), 'export default "embedded"\n')
  await writeFile(join(dir, 'embed', 'engine.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))
  await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>someone else’s page</title>')
  stack = await startIsolatedServer({ root: join(dir, 'stack'), models: model.dir, embed: join(dir, 'embed') })
  site = await startIsolatedServer({ root: join(dir, 'site'), models: join(dir, 'site') })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await Promise.all([stack?.close(), site?.close()])
  await rm(dir, { recursive: true, force: true })
})

it('lets a cross-origin-isolated page on another origin fetch shards by Range, and load the drop-in script and wasm', async () => {
  const page = await browser.context.newPage()
  try {
    await page.goto(site.url)
    const seen = await page.evaluate(async (base) => {
      const manifestUrl = `${base}/models/grok-2-tiny.manifest.json`
      const manifest = (await (await fetch(manifestUrl)).json()) as { variants: { id: string; files: { name: string }[] }[] }
      const shardUrl = new URL(manifest.variants.find((v) => v.id === 'q8_0')!.files[1]!.name, manifestUrl).href
      const head = await fetch(shardUrl, { headers: { range: 'bytes=0-3' } })
      const magic = new TextDecoder().decode(await head.arrayBuffer())
      // If-Range is not a safelisted header: this one is preflighted.
      const next = await fetch(shardUrl, { headers: { range: 'bytes=4-7', 'if-range': head.headers.get('etag')! } })
      // Written as text: vitest would rewrite an import() here into its own loader.
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<{ default: string }>
      const module = await load(`${base}/embed/tandem-chat.js`)
      const wasm = await WebAssembly.compileStreaming(fetch(`${base}/embed/engine.wasm`))
      const closed = await fetch(`${base}/`).then(
        () => 'readable',
        () => 'refused',
      )
      return {
        isolated: crossOriginIsolated,
        shardUrl,
        head: [head.status, head.headers.get('content-range'), magic],
        next: [next.status, next.headers.get('content-range'), (await next.arrayBuffer()).byteLength],
        module: module.default,
        wasm: wasm instanceof WebAssembly.Module,
        closed,
      }
    }, stack.url)
    expect(seen.isolated).toBe(true)
    expect(seen.shardUrl).toBe(`${stack.url}/models/grok-2-tiny-q8_0-00002-of-00003.gguf`)
    expect(seen.head).toEqual([206, expect.stringMatching(/^bytes 0-3\/\d+$/), 'GGUF'])
    expect(seen.next).toEqual([206, expect.stringMatching(/^bytes 4-7\/\d+$/), 4])
    expect(seen.module).toBe('embedded')
    expect(seen.wasm).toBe(true)
    expect(seen.closed).toBe('refused')
  } finally {
    await page.close()
  }
})

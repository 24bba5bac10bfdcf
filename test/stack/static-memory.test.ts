// The static server under parallel Range requests of a big model file, in a process of its own so
// its resident memory can be read: it must stream, not read the file for each request.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { FROM_SOURCE, spawnNode, type NodeProcess } from '../../scripts/processes.ts'
import { mib, rssBytes } from '../faults/process-memory.ts'

const SIZE = 131 * 2 ** 20 // the size of the file that once took the server to 3.9 GB
const PARALLEL = 30

let dir: string
let server: NodeProcess
let url: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-static-memory-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html>')
  // Sparse: no disk used, yet every byte of it is a byte to serve.
  const big = await open(join(dir, 'big.gguf'), 'w')
  await big.truncate(SIZE)
  await big.close()
  server = spawnNode([...FROM_SOURCE, 'test/stack/serve-static.ts', dir, dir])
  url = await server.ready((line) => (line.includes('"ready"') ? (JSON.parse(line) as { url: string }).url : undefined))
})

afterAll(async () => {
  await server?.stop()
  await rm(dir, { recursive: true, force: true })
})

/** The highest RSS of the server while `work` runs, sampled every 10 ms. */
async function peakDuring(work: () => Promise<unknown>): Promise<number> {
  let peak = rssBytes(server.child.pid!) ?? 0
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(server.child.pid!) ?? 0)), 10)
  try {
    await work()
  } finally {
    clearInterval(sampler)
  }
  return Math.max(peak, rssBytes(server.child.pid!) ?? 0)
}

async function ranged(range: string): Promise<number> {
  const response = await fetch(`${url}/models/big.gguf`, { headers: { range } })
  expect(response.status).toBe(206)
  return (await response.arrayBuffer()).byteLength
}

it(`keeps its memory bounded under ${PARALLEL} parallel Range requests of a ${SIZE / 2 ** 20} MiB file`, async () => {
  await ranged('bytes=0-0') // warm: the first request loads code
  const warm = rssBytes(server.child.pid!)!
  const oneByte = await peakDuring(() => Promise.all(Array.from({ length: PARALLEL }, () => ranged('bytes=0-0'))))
  const spread = await peakDuring(() =>
    Promise.all(Array.from({ length: PARALLEL }, (_, i) => ranged(`bytes=${Math.floor((i * SIZE) / PARALLEL)}-${Math.floor((i * SIZE) / PARALLEL) + 2 ** 20 - 1}`))),
  )
  const whole = await peakDuring(async () => {
    const sizes = await Promise.all(Array.from({ length: 4 }, () => fetch(`${url}/models/big.gguf`).then((r) => r.arrayBuffer().then((b) => b.byteLength))))
    expect(sizes).toEqual([SIZE, SIZE, SIZE, SIZE])
  })
  console.log(
    `static server RSS: warm ${mib(warm)} MiB; peak with ${PARALLEL}× 1-byte ranges ${mib(oneByte)} MiB, ${PARALLEL}× 1 MiB ranges ${mib(spread)} MiB, 4 whole downloads ${mib(whole)} MiB`,
  )
  // Read whole for each request, as it once was, each case took it to about 4 GiB. Streamed, what
  // remains is the data in flight (30 MiB for the 1 MiB ranges) and garbage not yet collected.
  expect(mib(oneByte - warm)).toBeLessThan(16)
  expect(mib(spread - warm)).toBeLessThan(64)
  expect(mib(whole - warm)).toBeLessThan(SIZE / 2 ** 20) // less than one copy of the file
}, 120_000)

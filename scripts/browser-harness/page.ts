/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference types="vite/client" />
// The page the browser tests drive: the real SDK and the real worker, bundled by Vite. Tests call
// `window.harness.*` through page.evaluate; each call returns plain data.
import { createTandem, loadDeviceProfile, probeDevice, type LoadProgress, type MlcRecord, type Plan, type RouteChange, type Tandem, type TandemOptions } from '@tandem/sdk'
import type { ChatCompletionChunk, ChatRequestInput } from '@tandem/protocol'
import { startLocalWorker } from '@tandem/local-worker'
import wllamaWasm from '@wllama/wllama/esm/wasm/wllama.wasm?url'
import type { DecodeFloorMessage, DecodeFloorResult } from './decode-floor-worker.ts'
import type { FloorMessage } from './floor-worker.ts'

export interface ChatRun {
  route?: TandemOptions['route']
  remote?: { baseURL: string; apiKey: string }
  modelsURL?: string
  threads?: number
  mlc?: Record<string, MlcRecord>
  minLocalTokensPerSecond?: number
  localTimeoutMs?: number
  /** Before each repeat after the first, waits until the local model has loaded (its last progress event). */
  awaitLoad?: boolean
  request: Omit<ChatRequestInput, 'model' | 'stream'>
  /** Terminates the worker once this many characters of the answer have arrived. */
  killWorkerAfterChars?: number
  /** Terminates the worker once this many characters of tool-call arguments have arrived. */
  killWorkerAfterToolChars?: number
  /** Terminates the worker once the download has reached this fraction. */
  killWorkerAtDownload?: number
  /** Chats run one after another in the same client (the same worker). */
  repeat?: number
  /** Leaves the client (and its worker) running until `harness.close()`, so the bench can read the worker's timeline. */
  keepOpen?: boolean
}

export interface ChatResult {
  plan: Plan
  text: string
  chunks: ChatCompletionChunk[]
  progress: Array<LoadProgress & { model: string; variant: string }>
  routeChanges: Array<Omit<RouteChange, 'error'> & { code: string }>
  error?: { code: string; message: string }
  /** Per repetition: from create() to the first and the last content chunk, and how many came; `at` is create()'s epoch time (ms). */
  rounds: Array<{ at: number; firstContentMs: number; lastContentMs: number; contentChunks: number; chunks: number }>
  /** Epoch times (ms) at which each worker was created. */
  workersCreatedAt: number[]
  /** Epoch time (ms) the client was created, before its plan (which may start the worker). */
  startedAt: number
  totalMs: number
  workersStarted: number
  killedAtChars?: number
  killedAtToolChars?: number
}

const newWorker = startLocalWorker
/** The page's clock as epoch ms, comparable with a worker's `performance.timeOrigin + startTime`. */
const now = () => performance.timeOrigin + performance.now()
let kept: Tandem | undefined

async function chat(run: ChatRun): Promise<ChatResult> {
  const workers: Worker[] = []
  const workersCreatedAt: number[] = []
  await kept?.close()
  kept = undefined
  const startedAt = now()
  const tandem = createTandem({
    model: 'grok-2-tiny',
    route: run.route ?? 'local-only',
    ...(run.remote ? { remote: run.remote } : {}),
    local: {
      worker: () => {
        workersCreatedAt.push(now())
        const worker = newWorker()
        workers.push(worker)
        return worker
      },
      ...(run.modelsURL ? { modelsURL: run.modelsURL } : {}),
      ...(run.threads ? { threads: run.threads } : {}),
      ...(run.mlc ? { mlc: run.mlc } : {}),
      ...(run.minLocalTokensPerSecond ? { minLocalTokensPerSecond: run.minLocalTokensPerSecond } : {}),
      ...(run.localTimeoutMs ? { localTimeoutMs: run.localTimeoutMs } : {}),
    },
  })
  const result: ChatResult = { plan: await tandem.plan(), text: '', chunks: [], progress: [], routeChanges: [], rounds: [], totalMs: 0, workersStarted: 0, workersCreatedAt, startedAt }
  tandem.on('progress', (p) => {
    result.progress.push(p)
    if (run.killWorkerAtDownload !== undefined && p.stage === 'download' && p.fraction >= run.killWorkerAtDownload) workers.at(-1)?.terminate()
  })
  tandem.on('route', ({ error, ...change }) => result.routeChanges.push({ ...change, code: error.code }))
  const started = performance.now()
  let toolChars = 0
  try {
    for (let round = 0; round < (run.repeat ?? 1); round++) {
      if (round > 0 && run.awaitLoad) await loaded(result.progress)
      const roundStarted = performance.now()
      const timing = { at: now(), firstContentMs: 0, lastContentMs: 0, contentChunks: 0, chunks: 0 }
      result.rounds.push(timing)
      const stream = await tandem.chat.completions.create({ ...run.request, stream: true })
      for await (const chunk of stream) {
        result.chunks.push(chunk)
        timing.chunks++
        const content = chunk.choices[0]?.delta.content ?? ''
        if (content) {
          timing.lastContentMs = performance.now() - roundStarted
          if (timing.contentChunks++ === 0) timing.firstContentMs = timing.lastContentMs
        }
        result.text += content
        toolChars += (chunk.choices[0]?.delta.tool_calls ?? []).reduce((sum, call) => sum + (call.function?.arguments?.length ?? 0), 0)
        if (run.killWorkerAfterToolChars !== undefined && result.killedAtToolChars === undefined && toolChars >= run.killWorkerAfterToolChars) {
          result.killedAtToolChars = toolChars
          workers.at(-1)?.terminate()
        }
        if (run.killWorkerAfterChars !== undefined && result.killedAtChars === undefined && result.text.length >= run.killWorkerAfterChars) {
          result.killedAtChars = result.text.length
          workers.at(-1)?.terminate()
        }
      }
    }
  } catch (error) {
    const e = error as { code?: string; message?: string }
    result.error = { code: e.code ?? 'unknown', message: e.message ?? String(error) }
  } finally {
    result.totalMs = performance.now() - started
    result.workersStarted = workers.length
    if (run.keepOpen) kept = tandem
    else await tandem.close()
  }
  return result
}

/** Resolves once the progress events say the model is loaded (the load's last event). */
async function loaded(progress: ChatResult['progress']): Promise<void> {
  while (!progress.some((p) => p.stage === 'load' && p.fraction === 1)) await new Promise((resolve) => setTimeout(resolve, 50))
}

async function modelsDir(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle('tandem-models', { create: true })
}

export interface FloorRun {
  variant: string
  request: Omit<ChatRequestInput, 'model' | 'stream'>
  /** `http`: wllama's wasm from its URL on this origin, whose compiled code V8 caches after the first load; `blob`: from a blob URL, compiled afresh every time. */
  wasm: 'http' | 'blob'
  modelsURL?: string
}

/**
 * The floor of a cached start: the same wllama, in this page, loading the same shards from memory
 * (no worker of ours, no OPFS, no hashing, no manifest) and answering the same request. Returns ms
 * from the load's start to the first token.
 */
async function floor({ variant, request, wasm, modelsURL = '/models/' }: FloorRun): Promise<number> {
  const shards = await shardBytes(variant, modelsURL)
  const url = wasm === 'http' ? new URL(wllamaWasm, location.href).href : URL.createObjectURL(await (await fetch(wllamaWasm)).blob())
  const worker = new Worker(new URL('./floor-worker.ts', import.meta.url), { type: 'module' })
  try {
    const answer = new Promise<{ ms?: number; error?: string }>((resolve) => (worker.onmessage = ({ data }) => resolve(data)))
    worker.postMessage({ shards, wasm: url, request: { model: 'grok-2-tiny', ...request } } satisfies FloorMessage, shards)
    const { ms, error } = await answer
    if (error !== undefined) throw new Error(error)
    return ms!
  } finally {
    worker.terminate()
    if (url.startsWith('blob:')) URL.revokeObjectURL(url)
  }
}

/** A variant's shards from the models URL, into memory. */
async function shardBytes(variant: string, modelsURL: string): Promise<ArrayBuffer[]> {
  const manifest = (await (await fetch(`${modelsURL}grok-2-tiny.manifest.json`)).json()) as { variants: Array<{ id: string; files: Array<{ name: string }> }> }
  const names = manifest.variants.find((v) => v.id === variant)!.files.map((f) => f.name)
  return Promise.all(names.map(async (name) => (await fetch(`${modelsURL}${name}`, { cache: 'no-store' })).arrayBuffer()))
}

export interface DecodeFloorRun {
  variant: string
  threads: number
  request: Omit<ChatRequestInput, 'model' | 'stream'>
  modelsURL?: string
}

/** wllama's own decode, timed inside a bare worker: the floor of the local route's tokens/s. */
async function decodeFloor({ variant, threads, request, modelsURL = '/models/' }: DecodeFloorRun): Promise<DecodeFloorResult> {
  const shards = await shardBytes(variant, modelsURL)
  const worker = new Worker(new URL('./decode-floor-worker.ts', import.meta.url), { type: 'module' })
  try {
    const answer = new Promise<DecodeFloorResult>((resolve) => (worker.onmessage = ({ data }) => resolve(data)))
    const message: DecodeFloorMessage = { shards, wasm: new URL(wllamaWasm, location.href).href, threads, request: { model: 'grok-2-tiny', ...request } }
    worker.postMessage(message, shards)
    return await answer
  } finally {
    worker.terminate()
  }
}

const harness = {
  floor,
  decodeFloor,
  chat,
  probe: probeDevice,
  /** Three profile loads from an emptied IndexedDB: probed, then cached, then probed again when too old. */
  async probeThrice() {
    await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase('tandem'), { onsuccess: resolve, onerror: resolve, onblocked: resolve }))
    const first = await loadDeviceProfile()
    const second = await loadDeviceProfile()
    const stale = await loadDeviceProfile({ now: Date.now() + 25 * 60 * 60 * 1000 })
    return { fromCache: [first.fromCache, second.fromCache, stale.fromCache], first: first.profile, second: second.profile }
  },
  async plan() {
    const tandem = createTandem({ model: 'grok-2-tiny', route: 'local-only', local: { worker: newWorker } })
    try {
      return await tandem.plan()
    } finally {
      await tandem.close()
    }
  },
  async cache(action: { delete?: { model: string; variant?: string } } = {}) {
    const tandem = createTandem({ model: 'grok-2-tiny', local: { worker: newWorker } })
    try {
      if (action.delete) await tandem.cache.delete(action.delete.model, action.delete.variant)
      return await tandem.cache.list()
    } finally {
      await tandem.close()
    }
  },
  /** Forgets stored models, and with `runtime` wllama's cached wasm too: a first visit. */
  async clearStorage({ runtime = false } = {}) {
    await (await navigator.storage.getDirectory()).removeEntry('tandem-models', { recursive: true }).catch(() => {})
    if (runtime) await caches.delete('tandem-runtime')
  },
  /** The files stored for a model's variant in OPFS, with their sizes. */
  async storedFiles(model: string, variant: string) {
    const dir = await (await (await modelsDir()).getDirectoryHandle(model, { create: true })).getDirectoryHandle(variant, { create: true })
    const files: Array<{ name: string; size: number }> = []
    for await (const [name, handle] of dir.entries()) if (handle instanceof FileSystemFileHandle) files.push({ name, size: (await handle.getFile()).size })
    return files
  },
  /** Flips one byte of a stored shard, as a failing disk or another program would. */
  async corruptShard(model: string, variant: string, name: string, at: number) {
    const file = await (await (await (await modelsDir()).getDirectoryHandle(model)).getDirectoryHandle(variant)).getFileHandle(name)
    const byte = new Uint8Array(await (await file.getFile()).slice(at, at + 1).arrayBuffer())
    const writable = await file.createWritable({ keepExistingData: true })
    await writable.write({ type: 'write', position: at, data: new Uint8Array([byte[0]! ^ 0xff]) })
    await writable.close()
  },
  crossOriginIsolated: () => crossOriginIsolated,
  /** Closes the client a `keepOpen` chat left running. */
  async close() {
    await kept?.close()
    kept = undefined
  },
}

export type Harness = typeof harness
;(window as unknown as { harness: Harness }).harness = harness
document.title = 'ready'

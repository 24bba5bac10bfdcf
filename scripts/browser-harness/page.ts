/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference types="vite/client" />
// The page the browser tests drive: the real SDK and the real worker, bundled by Vite. Tests call
// `window.harness.*` through page.evaluate; each call returns plain data.
import { createTandem, loadDeviceProfile, probeDevice, type LoadProgress, type MlcRecord, type Plan, type RouteChange, type TandemOptions } from '@tandem/sdk'
import type { ChatCompletionChunk, ChatRequestInput } from '@tandem/protocol'
import { startLocalWorker } from '@tandem/local-worker'

export interface ChatRun {
  route?: TandemOptions['route']
  remote?: { baseURL: string; apiKey: string }
  modelsURL?: string
  threads?: number
  mlc?: Record<string, MlcRecord>
  request: Omit<ChatRequestInput, 'model' | 'stream'>
  /** Terminates the worker once this many characters of the answer have arrived. */
  killWorkerAfterChars?: number
  /** Terminates the worker once the download has reached this fraction. */
  killWorkerAtDownload?: number
  /** Chats run one after another in the same client (the same worker). */
  repeat?: number
}

export interface ChatResult {
  plan: Plan
  text: string
  chunks: ChatCompletionChunk[]
  progress: Array<LoadProgress & { model: string; variant: string }>
  routeChanges: Array<Omit<RouteChange, 'error'> & { code: string }>
  error?: { code: string; message: string }
  /** Per repetition: from create() to the first and the last content chunk, and how many came. */
  rounds: Array<{ firstContentMs: number; lastContentMs: number; contentChunks: number }>
  totalMs: number
  workersStarted: number
  killedAtChars?: number
}

const newWorker = startLocalWorker

async function chat(run: ChatRun): Promise<ChatResult> {
  const workers: Worker[] = []
  const tandem = createTandem({
    model: 'grok-2-tiny',
    route: run.route ?? 'local-only',
    ...(run.remote ? { remote: run.remote } : {}),
    local: {
      worker: () => {
        const worker = newWorker()
        workers.push(worker)
        return worker
      },
      ...(run.modelsURL ? { modelsURL: run.modelsURL } : {}),
      ...(run.threads ? { threads: run.threads } : {}),
      ...(run.mlc ? { mlc: run.mlc } : {}),
    },
  })
  const result: ChatResult = { plan: await tandem.plan(), text: '', chunks: [], progress: [], routeChanges: [], rounds: [], totalMs: 0, workersStarted: 0 }
  tandem.on('progress', (p) => {
    result.progress.push(p)
    if (run.killWorkerAtDownload !== undefined && p.stage === 'download' && p.fraction >= run.killWorkerAtDownload) workers.at(-1)?.terminate()
  })
  tandem.on('route', ({ error, ...change }) => result.routeChanges.push({ ...change, code: error.code }))
  const started = performance.now()
  try {
    for (let round = 0; round < (run.repeat ?? 1); round++) {
      const roundStarted = performance.now()
      const timing = { firstContentMs: 0, lastContentMs: 0, contentChunks: 0 }
      result.rounds.push(timing)
      const stream = await tandem.chat.completions.create({ ...run.request, stream: true })
      for await (const chunk of stream) {
        result.chunks.push(chunk)
        const content = chunk.choices[0]?.delta.content ?? ''
        if (content) {
          timing.lastContentMs = performance.now() - roundStarted
          if (timing.contentChunks++ === 0) timing.firstContentMs = timing.lastContentMs
        }
        result.text += content
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
    await tandem.close()
  }
  return result
}

async function modelsDir(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle('tandem-models', { create: true })
}

const harness = {
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
  /** Flips one byte of a stored shard, as a failing disk or another program would. */
  async corruptShard(model: string, variant: string, name: string, at: number) {
    const file = await (await (await (await modelsDir()).getDirectoryHandle(model)).getDirectoryHandle(variant)).getFileHandle(name)
    const byte = new Uint8Array(await (await file.getFile()).slice(at, at + 1).arrayBuffer())
    const writable = await file.createWritable({ keepExistingData: true })
    await writable.write({ type: 'write', position: at, data: new Uint8Array([byte[0]! ^ 0xff]) })
    await writable.close()
  },
  crossOriginIsolated: () => crossOriginIsolated,
}

export type Harness = typeof harness
;(window as unknown as { harness: Harness }).harness = harness
document.title = 'ready'

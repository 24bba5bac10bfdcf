import { verifyFile, type ManifestFile } from '@tandem/models'
import { TandemError, type CachedModel, type LoadProgress } from '@tandem/protocol'
import pLimit from 'p-limit'
import { downloadShard } from './download-shard.ts'
import { loadManifest, storedManifest } from './manifest-source.ts'
import { entries, fileIn, folder, modelsRoot, remove } from './opfs.ts'
import { createProgressMeter } from './progress-meter.ts'
import { checkQuota } from './storage-quota.ts'
import { engineError } from '../engine-errors.ts'
import { timed } from '../timeline.ts'

const PARALLEL_DOWNLOADS = 3

export interface EnsureOptions {
  manifestUrl: string
  model: string
  variant: string
  onProgress(progress: LoadProgress): void
  signal?: AbortSignal
}

/**
 * Model shards in the origin private file system. `ensure` returns a variant's shards, as the very
 * bytes it hashed, only after each one's SHA-256 matched the manifest: a corrupted, truncated or stale shard is deleted and
 * fetched again, never handed to an engine. A shorter file is a download that stopped early, and
 * resumes from its length. Tabs of one origin share the files, one tab per shard at a time.
 */
export function createShardStore() {
  async function ensure({ manifestUrl, model, variant, onProgress, signal }: EnsureOptions): Promise<Blob[]> {
    const manifest = await timed('manifest', () => loadManifest(manifestUrl, model))
    const entry = manifest.variants.find((v) => v.id === variant)
    if (!entry) throw new TandemError('not_found', `${manifestUrl} has no variant "${variant}" of ${model}`, { param: 'variant' })
    if (entry.format !== 'gguf') throw new TandemError('unsupported', `${model} ${variant} is an ${entry.format} build; this engine reads GGUF`, { param: 'variant' })
    const dir = must(await folder(must(await folder(await modelsRoot(), model, true)), variant, true))
    await sweep(dir, entry.files)

    // Each shard is touched by one tab at a time: another tab's download of it is waited out here,
    // and then found whole. Web Locks are released when their holder's context goes away, so a
    // closed tab leaves a partial file to resume, never a held lock.
    const locked = <T>(file: ManifestFile, run: () => Promise<T>) => navigator.locks.request(`tandem:shard:${model}/${variant}/${file.name}`, run)

    // What is on disk: a verified shard, a partial one to resume, or nothing. Read and hashed in parallel.
    const verifying = createProgressMeter({ stage: 'verify', shardBytes: entry.files.map((f) => f.bytes), emit: onProgress })
    const found = await Promise.all(
      entry.files.map(async (file, index) => {
        const stored = await locked(file, () => checkCached(dir, file))
        if (typeof stored !== 'number') verifying.complete(index)
        return stored
      }),
    )
    verifying.flush()
    const position = (index: number) => (typeof found[index] === 'number' ? found[index] : entry.files[index]!.bytes)

    const missing = entry.files.map((file, index) => ({ file, index })).filter(({ index }) => typeof found[index] === 'number')
    if (missing.length > 0) {
      await checkQuota(missing.reduce((sum, { file, index }) => sum + file.bytes - position(index), 0), `${model} ${variant}`)
      const meter = createProgressMeter({ stage: 'download', shardBytes: entry.files.map((f) => f.bytes), emit: onProgress })
      entry.files.forEach((file, index) => (position(index) === file.bytes ? meter.complete(index) : meter.start(index, position(index))))
      const limit = pLimit(PARALLEL_DOWNLOADS)
      // The first failure stops the other downloads, and is thrown once they have stopped.
      const stopped = new AbortController()
      const downloads = signal ? AbortSignal.any([signal, stopped.signal]) : stopped.signal
      let failure: unknown
      await Promise.allSettled(
        missing.map(({ file, index }) =>
          limit(() =>
            locked(file, async () => {
              // Looked at again under the lock: another tab may have finished it meanwhile.
              const stored = await checkCached(dir, file)
              found[index] = typeof stored === 'number' ? await fetchShard(dir, new URL(file.name, manifestUrl).href, file, (at) => meter.update(index, at), downloads) : stored
              meter.complete(index)
            }),
          ).catch((error: unknown) => {
            failure ??= error
            stopped.abort()
          }),
        ),
      )
      meter.flush()
      if (failure !== undefined) throw await downloadFailure(dir, entry.files, `${model} ${variant}`, failure)
    }
    // The bytes that were hashed, not the files read again: what runs is exactly what was checked.
    return found.map((bytes) => new Blob([bytes as Uint8Array<ArrayBuffer>]))
  }

  async function list(): Promise<CachedModel[]> {
    const root = await modelsRoot()
    const found: CachedModel[] = []
    for (const [model, modelHandle] of await entries(root)) {
      if (!(modelHandle instanceof FileSystemDirectoryHandle)) continue
      const manifest = await storedManifest(modelHandle)
      for (const [variant, variantHandle] of await entries(modelHandle)) {
        if (!(variantHandle instanceof FileSystemDirectoryHandle)) continue
        const sizes = new Map<string, number>()
        for (const [name, handle] of await entries(variantHandle)) {
          if (handle instanceof FileSystemFileHandle) sizes.set(name, (await handle.getFile()).size)
        }
        if (sizes.size === 0) continue
        const expected = manifest?.variants.find((v) => v.id === variant)?.files ?? []
        const complete = expected.length > 0 && expected.every((f) => sizes.get(f.name) === f.bytes)
        found.push({ model, variant, bytes: [...sizes.values()].reduce((a, b) => a + b, 0), files: sizes.size, complete })
      }
    }
    return found
  }

  async function forget(model: string, variant?: string): Promise<void> {
    const root = await modelsRoot()
    if (variant === undefined) return remove(root, model)
    const modelDir = await folder(root, model, false)
    if (modelDir) await remove(modelDir, variant)
  }

  return { ensure, list, delete: forget }
}

export type ShardStore = ReturnType<typeof createShardStore>

/** A stored shard: its verified bytes, or the length to resume a download from (a bad one is deleted: 0). */
async function checkCached(dir: FileSystemDirectoryHandle, file: ManifestFile): Promise<Uint8Array | number> {
  const existing = await fileIn(dir, file.name)
  if (!existing) return 0
  if (existing.size < file.bytes) return existing.size
  if (existing.size === file.bytes) {
    const bytes = new Uint8Array(await timed('opfs read', () => existing.arrayBuffer()))
    if (await timed('sha-256', () => verifyFile(file, bytes))) return bytes
  }
  await remove(dir, file.name)
  return 0
}

/** Downloads a shard and returns its bytes once they match the manifest. */
async function fetchShard(dir: FileSystemDirectoryHandle, url: string, file: ManifestFile, onPosition: (position: number) => void, signal?: AbortSignal): Promise<Uint8Array> {
  // Twice at most: a partial file left by an older build can make the first result wrong.
  for (let attempt = 1; ; attempt++) {
    const handle = await (await dir.getFileHandle(file.name, { create: true })).createSyncAccessHandle()
    try {
      await downloadShard({ url, bytes: file.bytes, target: handle, onPosition, signal })
      const bytes = new Uint8Array(file.bytes)
      handle.read(bytes, { at: 0 })
      if (await verifyFile(file, bytes)) return bytes
      handle.truncate(0)
      handle.flush()
    } finally {
      handle.close()
    }
    onPosition(0)
    if (attempt === 2) throw new TandemError('upstream_error', `${url} does not match the SHA-256 in its manifest`, { isRetryable: false })
  }
}

/**
 * A download that failed. When the storage grant ran out midway (the browser refused a write:
 * a real QuotaExceededError), the unfinished shards are removed, so the space is given back and
 * the next load starts them cleanly; other failures keep them, to resume from.
 */
async function downloadFailure(dir: FileSystemDirectoryHandle, files: readonly ManifestFile[], what: string, failure: unknown): Promise<TandemError> {
  const error = engineError('download', failure, 'network')
  if (error.code !== 'quota') return error
  for (const file of files) {
    const stored = await fileIn(dir, file.name)
    if (stored && stored.size !== file.bytes) await remove(dir, file.name)
  }
  const message = `${what} did not fit: the browser's storage quota for this site ran out during the download (${error.message}); the unfinished shards were removed. Free some space or grant the site more, then load again`
  return new TandemError('quota', message, { param: 'variant', cause: failure })
}

/** Removes what the manifest no longer names: shards of an older build. */
async function sweep(dir: FileSystemDirectoryHandle, files: readonly ManifestFile[]): Promise<void> {
  const names = new Set(files.map((f) => f.name))
  for (const [name] of await entries(dir)) if (!names.has(name)) await remove(dir, name)
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new TandemError('internal', 'the model folder vanished while loading')
  return value
}

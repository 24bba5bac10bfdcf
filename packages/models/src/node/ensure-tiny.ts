import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { manifestSchema, type Manifest } from '../manifest.ts'
import { buildTinyArtifacts, tinyBuildId } from '../tiny-artifacts.ts'

/** The repository's `models/` folder, where generated models live (never committed). */
export const MODELS_DIR = resolve(fileURLToPath(import.meta.url), '../../../../../models')

export const TINY_MANIFEST = 'grok-2-tiny.manifest.json'

/** The trained tiny Grok-2, committed: what `npm run model:train` makes. */
export const TRAINED_TINY_GGUF = resolve(fileURLToPath(import.meta.url), '../../../trained/grok-2-tiny.gguf')

export interface TinyModelFiles {
  dir: string
  manifest: Manifest
  /** Absolute path of the single-file F16 GGUF, what native-server loads. */
  f16Path: string
  /** Absolute paths of each variant's shards, keyed by variant id. */
  variantPaths: Record<string, string[]>
  built: boolean
}

export type TinyProgress = { stage: 'cached' | 'building' | 'written'; files?: number; bytes?: number; ms?: number }

/**
 * Returns the tiny Grok-2's files in `dir` (its variants, made from the trained file `source`),
 * building them first when missing, truncated, or made by another recipe or from another file. Safe to call from several processes at once: files are written under temporary names
 * and renamed into place, the manifest last, so a reader never sees a partial model.
 */
export async function ensureTinyModel({
  dir = MODELS_DIR,
  source = TRAINED_TINY_GGUF,
  onProgress,
  force = false,
}: { dir?: string; source?: string; force?: boolean; onProgress?: (progress: TinyProgress) => void } = {}): Promise<TinyModelFiles> {
  const trained = new Uint8Array(await readFile(source))
  const build = await tinyBuildId(trained)
  const existing = await readManifest(join(dir, TINY_MANIFEST))
  if (!force && existing?.build === build && (await filesPresent(dir, existing))) {
    onProgress?.({ stage: 'cached' })
    return describe(dir, existing, false)
  }

  onProgress?.({ stage: 'building' })
  const started = performance.now()
  const { manifest, files } = await buildTinyArtifacts(trained)
  await mkdir(dir, { recursive: true })
  const tag = `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`
  try {
    for (const [name, bytes] of files) {
      await writeFile(join(dir, name + tag), bytes)
      await rename(join(dir, name + tag), join(dir, name))
    }
    await writeFile(join(dir, TINY_MANIFEST + tag), JSON.stringify(manifest, null, 2) + '\n')
    await rename(join(dir, TINY_MANIFEST + tag), join(dir, TINY_MANIFEST))
  } catch (error) {
    await Promise.all([...files.keys(), TINY_MANIFEST].map((name) => rm(join(dir, name + tag), { force: true })))
    throw error
  }
  const bytes = [...files.values()].reduce((sum, f) => sum + f.byteLength, 0)
  onProgress?.({ stage: 'written', files: files.size, bytes, ms: Math.round(performance.now() - started) })
  return describe(dir, manifest, true)
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')))
  } catch {
    return undefined // missing or unreadable: rebuild
  }
}

async function filesPresent(dir: string, manifest: Manifest): Promise<boolean> {
  const entries = manifest.variants.flatMap((v) => v.files)
  const sizes = await Promise.all(entries.map((f) => stat(join(dir, f.name)).then((s) => s.size, () => -1)))
  return entries.every((f, i) => sizes[i] === f.bytes)
}

function describe(dir: string, manifest: Manifest, built: boolean): TinyModelFiles {
  const variantPaths = Object.fromEntries(manifest.variants.map((v) => [v.id, v.files.map((f) => join(dir, f.name))]))
  return { dir, manifest, f16Path: variantPaths.f16![0]!, variantPaths, built }
}

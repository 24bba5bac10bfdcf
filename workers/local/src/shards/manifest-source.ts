import { manifestSchema, type Manifest } from '@tandem/models'
import { TandemError, parseWith } from '@tandem/protocol'
import { messageOf } from '../engine-errors.ts'
import { fileIn, folder, modelsRoot } from './opfs.ts'

const STORED = 'manifest.json'

/**
 * The model's manifest: from the network when it answers (a new build replaces the stored
 * copy), else the copy stored beside the shards, so a cached model loads with no network at all.
 */
export async function loadManifest(url: string, model: string): Promise<Manifest> {
  const dir = await folder(await modelsRoot(), model, true)
  let response: Response | undefined
  try {
    response = await fetch(url, { cache: 'no-cache' })
  } catch (failure) {
    const stored = dir && (await storedManifest(dir))
    if (stored) return stored
    throw new TandemError('network', `cannot fetch ${url} (${messageOf(failure)}) and ${model} has no readable manifest stored here`, { cause: failure })
  }
  if (!response.ok) throw new TandemError(response.status === 404 ? 'not_found' : 'upstream_error', `${url}: the server answered ${response.status}`)
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new TandemError('upstream_error', `${url} is not JSON`)
  }
  const manifest = parse(json, url)
  if (manifest.model !== model) throw new TandemError('upstream_error', `${url} describes ${manifest.model}, not ${model}`)
  if (dir) {
    const writable = await (await dir.getFileHandle(STORED, { create: true })).createWritable()
    await writable.write(text)
    await writable.close()
  }
  return manifest
}

function parse(json: unknown, what: string): Manifest {
  const parsed = parseWith(manifestSchema, json, what, 'upstream_error')
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

/** The manifest kept beside a model's shards; undefined when missing or unreadable. */
export async function storedManifest(modelDir: FileSystemDirectoryHandle): Promise<Manifest | undefined> {
  const stored = await fileIn(modelDir, STORED)
  if (!stored) return undefined
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await stored.text()))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined // not JSON
  }
}

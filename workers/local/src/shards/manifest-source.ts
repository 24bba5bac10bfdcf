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
    const stored = dir && (await fileIn(dir, STORED))
    if (stored) return parse(JSON.parse(await stored.text()), `the stored manifest of ${model}`)
    throw new TandemError('network', `cannot fetch ${url} (${messageOf(failure)}) and ${model} has never been downloaded here`, { cause: failure })
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

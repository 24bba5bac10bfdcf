import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findModel } from '../catalog.ts'
import { writeGguf } from '../gguf/writer.ts'
import { buildRandomGrok2 } from '../random-grok2.ts'
import { TINY_MANIFEST, ensureTinyModel } from './ensure-tiny.ts'

const root = await mkdtemp(join(tmpdir(), 'ensure-tiny-'))
afterAll(() => rm(root, { recursive: true, force: true }))

describe('ensureTinyModel', () => {
  it('builds the catalog files once, then finds them', async () => {
    const dir = join(root, 'once')
    const first = await ensureTinyModel({ dir })
    expect(first.built).toBe(true)
    const expected = findModel('grok-2-tiny')!.variants.flatMap((v) => v.files)
    expect((await readdir(dir)).sort()).toEqual([...expected, TINY_MANIFEST].sort())
    expect(first.f16Path).toBe(join(dir, 'grok-2-tiny.gguf'))
    expect(first.variantPaths.q8_0).toHaveLength(3)

    const second = await ensureTinyModel({ dir })
    expect(second.built).toBe(false)
    expect(second.manifest).toEqual(first.manifest)
  })

  it('rebuilds a truncated model, and one made from another trained file', async () => {
    const dir = join(root, 'damaged')
    const { variantPaths } = await ensureTinyModel({ dir })
    await truncate(variantPaths.q4_0![1]!, 100)
    expect((await ensureTinyModel({ dir })).built).toBe(true)
    expect((await ensureTinyModel({ dir })).built).toBe(false)
    const other = join(root, 'other.gguf')
    await writeFile(other, writeGguf(buildRandomGrok2()))
    const rebuilt = await ensureTinyModel({ dir, source: other })
    expect(rebuilt.built).toBe(true)
    expect(rebuilt.manifest.build).not.toBe((await ensureTinyModel({ dir })).manifest.build)
  })

  it('lets several builders race without leaving partial or temporary files', async () => {
    const dir = join(root, 'race')
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureTinyModel({ dir })))
    expect(new Set(results.map((r) => JSON.stringify(r.manifest))).size).toBe(1)
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([])
    expect((await ensureTinyModel({ dir })).built).toBe(false)
  })
})

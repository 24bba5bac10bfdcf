import { describe, expect, it } from 'vitest'
import { describeFile, manifestSchema, sha256Hex, verifyFile } from './manifest.ts'

const abc = new TextEncoder().encode('abc')

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', async () => {
    expect(await sha256Hex(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('verifyFile', () => {
  it('accepts the described bytes and rejects changed or truncated ones', async () => {
    const entry = await describeFile('a.gguf', abc)
    expect(entry).toMatchObject({ name: 'a.gguf', bytes: 3 })
    expect(await verifyFile(entry, abc)).toBe(true)
    expect(await verifyFile(entry, new TextEncoder().encode('abd'))).toBe(false)
    expect(await verifyFile(entry, abc.subarray(0, 2))).toBe(false)
  })
})

describe('manifestSchema', () => {
  it('rejects a path in a file name and a malformed digest', () => {
    const bad = { model: 'm', build: 'b', variants: [{ id: 'f16', format: 'gguf', files: [{ name: '../x.gguf', bytes: 1, sha256: 'XYZ' }] }] }
    const issues = manifestSchema.safeParse(bad).error!.issues.map((i) => i.path.join('.'))
    expect(issues).toEqual(['variants.0.files.0.name', 'variants.0.files.0.sha256'])
  })

  it('rejects a shard named twice in a variant, and a variant listed twice, naming them', async () => {
    const file = await describeFile('a.gguf', abc)
    const twiceFile = { model: 'm', build: 'b', variants: [{ id: 'q8_0', format: 'gguf', files: [file, file] }] }
    expect(manifestSchema.safeParse(twiceFile).error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['variants.0.files', 'names the shard "a.gguf" twice']])
    const variant = { id: 'q8_0', format: 'gguf', files: [file] }
    const twiceVariant = { model: 'm', build: 'b', variants: [variant, variant] }
    expect(manifestSchema.safeParse(twiceVariant).error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['variants', 'lists the variant "q8_0" twice']])
  })
})

import { findModel } from './catalog.ts'
import { splitGguf } from './gguf/split.ts'
import { writeGguf } from './gguf/writer.ts'
import { describeFile, type Manifest } from './manifest.ts'
import { DEFAULT_TINY_SEED, buildTinyGrok2, type TinyQuantization } from './tiny.ts'

/** Bump when the tiny model's bytes change for the same seed, so stale local builds are rebuilt. */
export const TINY_RECIPE_VERSION = 1

export interface Artifacts {
  manifest: Manifest
  /** File name → bytes, for every shard of every variant. */
  files: Map<string, Uint8Array>
}

/** Every catalog variant of the tiny Grok-2, split into its catalog shards, with their manifest. */
export async function buildTinyArtifacts(seed = DEFAULT_TINY_SEED): Promise<Artifacts> {
  const model = findModel('grok-2-tiny')!
  const files = new Map<string, Uint8Array>()
  const variants: Manifest['variants'] = []
  for (const variant of model.variants) {
    const gguf = buildTinyGrok2({ seed, quantization: variant.quantization as TinyQuantization })
    const shards = splitGguf(gguf, variant.files.length).map(writeGguf)
    const described = await Promise.all(shards.map((bytes, i) => describeFile(variant.files[i]!, bytes)))
    shards.forEach((bytes, i) => files.set(variant.files[i]!, bytes))
    variants.push({ id: variant.id, format: variant.format, files: described })
  }
  return { manifest: { model: model.id, build: `tiny-v${TINY_RECIPE_VERSION}-seed${seed}`, variants }, files }
}

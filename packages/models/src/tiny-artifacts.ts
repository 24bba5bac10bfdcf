import { findModel } from './catalog.ts'
import { splitGguf } from './gguf/split.ts'
import { writeGguf } from './gguf/writer.ts'
import { describeFile, sha256Hex, type Manifest } from './manifest.ts'
import { decodeGguf, quantizeGguf, type TinyQuantization } from './quantize.ts'

/** Bump when the variants' bytes change for the same trained file, so stale local builds are rebuilt. */
export const TINY_RECIPE_VERSION = 2

export interface Artifacts {
  manifest: Manifest
  /** File name → bytes, for every shard of every variant. */
  files: Map<string, Uint8Array>
}

/** Names the files made from `trained` by this recipe: a retrained model is another build. */
export async function tinyBuildId(trained: Uint8Array): Promise<string> {
  return `tiny-v${TINY_RECIPE_VERSION}-${(await sha256Hex(trained)).slice(0, 16)}`
}

/** Every catalog variant of the tiny Grok-2, made from its trained F16 GGUF and split into the catalog's shards, with their manifest. */
export async function buildTinyArtifacts(trained: Uint8Array): Promise<Artifacts> {
  const model = findModel('grok-2-tiny')!
  const files = new Map<string, Uint8Array>()
  const variants: Manifest['variants'] = []
  const source = decodeGguf(trained)
  for (const variant of model.variants) {
    const gguf = quantizeGguf(source, variant.quantization as TinyQuantization)
    const shards = splitGguf(gguf, variant.files.length).map(writeGguf)
    const described = await Promise.all(shards.map((bytes, i) => describeFile(variant.files[i]!, bytes)))
    shards.forEach((bytes, i) => files.set(variant.files[i]!, bytes))
    variants.push({ id: variant.id, format: variant.format, files: described })
  }
  return { manifest: { model: model.id, build: await tinyBuildId(trained), variants }, files }
}

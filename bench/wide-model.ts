// The tiny Grok-2 4× wider: big enough that a decode costs more than the HTTP around it, so
// throughput ratios say something about servers whose decodes take milliseconds, as real ones do.
import { existsSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildRandomGrok2, GROK_2_RANDOM_TINY, writeGguf, type GrokArchitecture } from '@tandem/models'
import { ensureTinyModel, MODELS_DIR, type TinyModelFiles } from '@tandem/models/node'

export const WIDE_NAME = 'grok-2-tiny-e512'

export const WIDE: GrokArchitecture = {
  ...GROK_2_RANDOM_TINY,
  embedding: 512,
  heads: 8,
  kvHeads: 2,
  headDim: 64,
  denseFfn: 2048,
  expertFfn: 1024,
  embeddingScale: Math.sqrt(512),
  attnOutputScale: 1 / 8,
}

/** Random weights (seeded): only its speed matters. Written once into models/. */
export async function ensureWideModel(): Promise<string> {
  const path = join(MODELS_DIR, `${WIDE_NAME}.gguf`)
  if (existsSync(path)) return path
  const bytes = writeGguf(buildRandomGrok2({ architecture: WIDE, name: WIDE_NAME }))
  await writeFile(`${path}.tmp-${process.pid}`, bytes)
  await rename(`${path}.tmp-${process.pid}`, path)
  return path
}

/**
 * The wider model as the local route wants it: the tiny Grok-2's variants (Q8_0 and Q4_0 shards,
 * under the tiny model's names) and their manifest, in `models/e512/`, made once the way
 * `npm run model:tiny` makes the tiny model's, so a page can serve it as `grok-2-tiny`.
 */
export async function ensureWideShards(): Promise<TinyModelFiles> {
  return ensureTinyModel({ dir: join(MODELS_DIR, 'e512'), source: await ensureWideModel() })
}

// tsx packages/models/train/write-gguf.ts [outDir]: writes packages/models/trained/grok-2-tiny.gguf from
// the exported weights (out/weights.bin, float32 in tensorLayout order) and tokenizer (out/tokenizer.json),
// through the same writer as every Grok GGUF here: matrices F16, norms F32.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { elements } from '../src/architecture.ts'
import { GROK_2_TINY as arch } from '../src/catalog.ts'
import { grokGguf } from '../src/grok-gguf.ts'
import { writeGguf } from '../src/gguf/writer.ts'
import type { ByteLevelVocabulary } from '../src/tokenizer.ts'
import { readTrainStats, type StageStats } from './train-stats.ts'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = process.argv[2] ?? join(here, 'out')
const target = join(here, '..', 'trained', 'grok-2-tiny.gguf')

const config = JSON.parse(await readFile(join(here, 'config.json'), 'utf8')) as Record<string, unknown>
for (const [key, value] of Object.entries(arch)) {
  if (config[key] !== value) throw new Error(`config.json ${key} = ${String(config[key])}, GROK_2_TINY says ${value}`)
}
const vocabulary = JSON.parse(await readFile(join(outDir, 'tokenizer.json'), 'utf8')) as ByteLevelVocabulary
const { base, tools, refine } = await readTrainStats(outDir)
const trained = (s: StageStats | null) => (s ? `${s.steps} steps, ${(s.trainTokens / 1e6).toFixed(1)}M tokens` : 'from a given GGUF')

const raw = await readFile(join(outDir, 'weights.bin'))
const weights = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
let at = 0
const file = grokGguf({
  architecture: arch,
  name: 'grok-2-tiny',
  description:
    `Grok-2 architecture at toy size, trained (base ${trained(base)}; tools ${trained(tools)}; refine ${trained(refine)}; held-out loss ${refine.heldoutLoss}) ` +
    'on WordNet glosses and BSD fortunes rendered as Grok-2 chats; see packages/models/trained/README.md',
  vocabulary,
  values: ({ dims }) => {
    const start = at
    at += elements(dims)
    return weights.subarray(start, at)
  },
})
if (at !== weights.length) throw new Error(`weights.bin holds ${weights.length} values, the layout ${at}`)
const bytes = writeGguf(file)
await writeFile(target, bytes)
console.log(`wrote ${target}: ${(bytes.byteLength / 1e6).toFixed(2)} MB, ${file.tensors.length} tensors`)

// tsx packages/models/train/read-gguf.ts FILE.gguf [outDir]: the reverse of write-gguf.ts, so a tools stage can start
// from a model kept as a GGUF (run.sh --base): writes out/init.bin (every tensor as little-endian float32 in
// tensorLayout order, as export.py writes weights.bin; matrices as the GGUF holds them, F16) and out/tokenizer.json
// (its vocabulary, as prepare.py writes one), through the package's own GGUF reader.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tensorLayout } from '../src/architecture.ts'
import { GROK_2_TINY as arch } from '../src/catalog.ts'
import { readGguf, tensorValues } from '../src/gguf/reader.ts'
import type { ByteLevelVocabulary } from '../src/tokenizer.ts'

const [path, outDir = join(dirname(fileURLToPath(import.meta.url)), 'out')] = process.argv.slice(2)
if (!path) throw new Error('usage: read-gguf.ts FILE.gguf [outDir]')
const bytes = new Uint8Array(await readFile(path))
const gguf = readGguf(bytes)

const meta = (key: string) => {
  const entry = gguf.metadata.get(key)
  if (!entry) throw new Error(`${path}: no ${key}`)
  return entry.value
}
const vocabulary: ByteLevelVocabulary = {
  tokens: meta('tokenizer.ggml.tokens') as string[],
  types: meta('tokenizer.ggml.token_type') as number[],
  merges: meta('tokenizer.ggml.merges') as string[],
  padId: Number(meta('tokenizer.ggml.padding_token_id')),
  bosId: Number(meta('tokenizer.ggml.bos_token_id')),
  eosId: Number(meta('tokenizer.ggml.eos_token_id')),
}

const byName = new Map(gguf.tensors.map((info) => [info.name, info]))
const layout = tensorLayout(arch)
const values = layout.map(({ name, dims }) => {
  const info = byName.get(name)
  if (!info) throw new Error(`${path}: no tensor ${name}`)
  if (info.dims.join() !== dims.join()) throw new Error(`${path}: ${name} is [${info.dims}], GROK_2_TINY says [${dims}]`)
  return tensorValues(bytes, info)
})
if (gguf.tensors.length !== layout.length) throw new Error(`${path}: ${gguf.tensors.length} tensors, GROK_2_TINY has ${layout.length}`)

await writeFile(join(outDir, 'init.bin'), Buffer.concat(values.map((v) => new Uint8Array(v.buffer))))
await writeFile(join(outDir, 'tokenizer.json'), JSON.stringify(vocabulary))
console.log(`read ${path}: ${layout.length} tensors to ${join(outDir, 'init.bin')}, ${vocabulary.tokens.length} tokens to tokenizer.json`)

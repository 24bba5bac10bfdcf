// tsx packages/models/train/check-tokenizer.ts [outDir]: llama.cpp (node-llama-cpp 3.22.1) must tokenize every
// text in out/tok-check.json (corpus stretches and edge cases) to the ids the Python tokenizer gives.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LlamaLogLevel, getLlama } from 'node-llama-cpp'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = process.argv[2] ?? join(here, 'out')
const cases = JSON.parse(await readFile(join(outDir, 'tok-check.json'), 'utf8')) as Array<{ text: string; ids: number[] }>

const llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error })
const model = await llama.loadModel({ modelPath: join(here, '..', 'trained', 'grok-2-tiny.gguf') })
let mismatches = 0
for (const { text, ids } of cases) {
  const got = [...model.tokenize(text, false)]
  if (JSON.stringify(got) !== JSON.stringify(ids)) {
    if (mismatches++ < 5) console.error(`mismatch for ${JSON.stringify(text)}:\n  python ${JSON.stringify(ids)}\n  llama  ${JSON.stringify(got)}`)
  }
}
await model.dispose()
await llama.dispose()
console.log(`tokenizer check: ${cases.length - mismatches}/${cases.length} texts tokenize identically`)
if (mismatches > 0) process.exit(1)

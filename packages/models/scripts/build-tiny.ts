// npm run model:tiny [-- --force]: writes the tiny Grok-2 (F16 file, Q8_0 and Q4_0 shards, manifest) to models/.
import { ensureTinyModel } from '../src/node/index.ts'

const force = process.argv.includes('--force')
const model = await ensureTinyModel({
  force,
  onProgress: (p) => {
    if (p.stage === 'cached') console.log('tiny Grok-2 is up to date (use --force to rebuild)')
    if (p.stage === 'building') console.log('building the tiny Grok-2…')
    if (p.stage === 'written') console.log(`wrote ${p.files} files, ${(p.bytes! / 1e6).toFixed(1)} MB, in ${p.ms} ms`)
  },
})
for (const variant of model.manifest.variants) {
  for (const file of variant.files) console.log(`  ${variant.id.padEnd(5)} ${file.name.padEnd(38)} ${String(file.bytes).padStart(9)}  ${file.sha256}`)
}
console.log(`manifest: ${model.dir}/grok-2-tiny.manifest.json`)

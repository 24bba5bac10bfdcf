// npm start: the main job. Builds what is missing, then starts every part of the stack that exists.
import { ensureTinyModel } from '@tandem/models/node'
import { GROK_2_TINY, parameterCount } from '@tandem/models'
import { existsSync } from 'node:fs'

const model = await ensureTinyModel({
  onProgress: (p) => p.stage === 'building' && console.log('building the tiny Grok-2…'),
})
const f16 = model.manifest.variants.find((v) => v.id === 'f16')!.files[0]!
console.log(`✓ tiny Grok-2  ${model.f16Path} (${(f16.bytes / 1e6).toFixed(1)} MB, ${(parameterCount(GROK_2_TINY).total / 1e6).toFixed(2)}M parameters)`)

// Parts that later work brings; each is started here once its entry point exists.
const parts = [
  { name: 'native-server', entry: 'native-server/src/main.ts', issue: 3 },
  { name: 'edge gateway ', entry: 'workers/edge/src/worker.ts', issue: 4 },
  { name: 'demo         ', entry: 'demo/index.html', issue: 7 },
]
for (const part of parts) {
  if (!existsSync(part.entry)) console.log(`· ${part.name} not built yet (issue #${part.issue})`)
}

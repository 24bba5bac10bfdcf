// npm run bench [-- --quick]: every benchmark, each comparing ways side by side in one run.
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { benchAiSdk } from './ai-sdk.ts'
import { chartHtml, writeChartPng } from './chart.ts'
import { benchDecoder } from './decoder.ts'
import { benchEdge } from './edge.ts'
import { benchLocal } from './local.ts'
import { benchNative } from './native.ts'
import { benchSdk } from './sdk.ts'
import { benchTinyModel } from './tiny-model.ts'

const quick = process.argv.includes('--quick')
/** `--only=local` (comma-separated names) runs just those benchmarks. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
const benches = {
  'tiny-model': async () => [await benchTinyModel({ repetitions: quick ? 3 : 7 })],
  decoder: async () => [await benchDecoder({ repetitions: quick ? 3 : 7 })],
  local: async () => [await benchLocal({ repetitions: quick ? 3 : 5 })],
  edge: async () => [await benchEdge(quick ? { repetitions: 5, tokens: 256, wideTokens: 64, samples: 100 } : { repetitions: 15, tokens: 512, wideTokens: 128, samples: 300 })],
  sdk: async () => [await benchSdk(quick ? { repetitions: 15, tokens: 128 } : { repetitions: 31, tokens: 256 })],
  'ai-sdk': async () => [await benchAiSdk(quick ? { repetitions: 9, tokens: 512 } : { repetitions: 21, tokens: 1024 })],
  native: () => benchNative({ repetitions: quick ? 7 : 15 }),
}
const results = []
for (const [name, run] of Object.entries(benches)) if (!only || only.includes(name)) results.push(...(await run()))

for (const result of results) console.log(`\n## ${result.name}\n\n${result.markdown}\n`)
const dir = new URL('./results/', import.meta.url)
await mkdir(dir, { recursive: true })
await writeFile(new URL('latest.json', dir), JSON.stringify({ date: new Date().toISOString(), quick, results }, null, 2))
await writeFile(new URL('latest.md', dir), results.map((r) => `## ${r.name}\n\n${r.markdown}\n`).join('\n'))
// The local route's figures are committed (`bench/results/local.md`): workers/local/README.md quotes them.
const local = results.find((r) => r.name.startsWith('local route'))
if (local) await writeFile(new URL('local.md', dir), `# ${local.name}\n\n${new Date().toISOString().slice(0, 10)}${quick ? ' (quick)' : ''}, Chromium ${'Debian Chromium, headless'}, 2 shared cores\n\n${local.markdown}\n`)
const charted = await writeChartPng(chartHtml(results, `Tandem benchmarks, ${new Date().toISOString().slice(0, 16)}Z${quick ? ' (quick)' : ''}`), fileURLToPath(new URL('latest.png', dir)))
console.log(`wrote bench/results/latest.json, latest.md${charted ? ' and latest.png' : ''}`)

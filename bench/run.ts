// npm run bench [-- --quick]: every benchmark, each comparing ways side by side in one run.
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { chartHtml, writeChartPng } from './chart.ts'
import { benchDecoder } from './decoder.ts'
import { benchEdge } from './edge.ts'
import { benchLocal } from './local.ts'
import { benchNative } from './native.ts'
import { benchSdk } from './sdk.ts'
import { benchTinyModel } from './tiny-model.ts'

const quick = process.argv.includes('--quick')
const results = [
  await benchTinyModel({ repetitions: quick ? 3 : 7 }),
  await benchDecoder({ repetitions: quick ? 3 : 7 }),
  await benchLocal({ repetitions: quick ? 3 : 5 }),
  await benchEdge(quick ? { repetitions: 5, tokens: 256, wideTokens: 64, samples: 100 } : { repetitions: 15, tokens: 512, wideTokens: 128, samples: 300 }),
  await benchSdk(quick ? { repetitions: 15, tokens: 128 } : { repetitions: 31, tokens: 256 }),
  ...(await benchNative({ repetitions: quick ? 7 : 15 })),
]

for (const result of results) console.log(`\n## ${result.name}\n\n${result.markdown}\n`)
const dir = new URL('./results/', import.meta.url)
await mkdir(dir, { recursive: true })
await writeFile(new URL('latest.json', dir), JSON.stringify({ date: new Date().toISOString(), quick, results }, null, 2))
await writeFile(new URL('latest.md', dir), results.map((r) => `## ${r.name}\n\n${r.markdown}\n`).join('\n'))
const charted = await writeChartPng(chartHtml(results, `Tandem benchmarks, ${new Date().toISOString().slice(0, 16)}Z${quick ? ' (quick)' : ''}`), fileURLToPath(new URL('latest.png', dir)))
console.log(`wrote bench/results/latest.json, latest.md${charted ? ' and latest.png' : ''}`)

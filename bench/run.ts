// npm run bench [-- --quick]: every benchmark, each comparing ways side by side in one run.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { benchAiSdk } from './ai-sdk.ts'
import { chartHtml, writeChartPng } from './chart.ts'
import { benchDecoder } from './decoder.ts'
import { benchEdge } from './edge.ts'
import { benchGrammar } from './grammar.ts'
import { benchLocal } from './local.ts'
import { benchLocalDecode } from './local-decode.ts'
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
  'local-decode': async () => [await benchLocalDecode({ repetitions: quick ? 3 : 5 })],
  edge: async () => [await benchEdge(quick ? { repetitions: 5, tokens: 256, wideTokens: 64, samples: 100 } : { repetitions: 15, tokens: 512, wideTokens: 128, samples: 300 })],
  sdk: async () => [await benchSdk(quick ? { repetitions: 15, tokens: 128 } : { repetitions: 31, tokens: 256 })],
  'ai-sdk': async () => [await benchAiSdk(quick ? { repetitions: 9, tokens: 512 } : { repetitions: 21, tokens: 1024 })],
  native: () => benchNative({ repetitions: quick ? 7 : 15 }),
  grammar: async () => [await benchGrammar(quick ? { repetitions: 3, tokens: 96 } : { repetitions: 9, tokens: 192 })],
}
const dir = new URL('./results/', import.meta.url)
await mkdir(dir, { recursive: true })
const day = new Date().toISOString().slice(0, 10)
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`
const results = []
for (const [name, run] of Object.entries(benches)) {
  if (only && !only.includes(name)) continue
  const ran = await run()
  results.push(...ran)
  // Committed, one file per benchmark: every figure a README quotes comes from one of these.
  const body = ran.map((r) => `## ${r.name}\n\n${r.markdown}\n`).join('\n')
  await writeFile(new URL(`${name}.md`, dir), `# bench/${name}.ts\n\n${day}${quick ? ' (--quick)' : ''}, ${machine}\n\n${body}`)
  // Charts a benchmark draws of its own (SVG), committed beside its table.
  for (const r of ran) for (const [file, text] of Object.entries((r as { files?: Record<string, string> }).files ?? {})) await writeFile(new URL(file, dir), text)
}

for (const result of results) console.log(`\n## ${result.name}\n\n${result.markdown}\n`)
await writeFile(new URL('latest.json', dir), JSON.stringify({ date: new Date().toISOString(), quick, results }, null, 2))
const charted = await writeChartPng(chartHtml(results, `Tandem benchmarks, ${new Date().toISOString().slice(0, 16)}Z${quick ? ' (quick)' : ''}`), fileURLToPath(new URL('latest.png', dir)))
console.log(`wrote bench/results/<benchmark>.md, latest.json${charted ? ' and latest.png' : ''}`)

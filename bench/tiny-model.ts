// The tiny Grok-2 in llama.cpp: load time and decode speed of each variant, side by side in one run.
import { LlamaLogLevel, getLlama } from 'node-llama-cpp'
import { ensureTinyModel } from '@tandem/models/node'
import { median, pairedRatio, spread, table } from './stats.ts'

export async function benchTinyModel({ repetitions = 5, tokens = 128 } = {}) {
  const files = await ensureTinyModel()
  const llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error })
  const variants = files.manifest.variants.map((v) => ({
    id: v.id,
    path: files.variantPaths[v.id]![0]!,
    bytes: v.files.reduce((sum, f) => sum + f.bytes, 0),
    shards: v.files.length,
    loadMs: [] as number[],
    tokensPerSecond: [] as number[],
  }))

  // Interleave the variants in every repetition, alternating the order, so machine noise hits them alike; the first round warms up.
  for (let round = 0; round <= repetitions; round++) {
    for (const variant of round % 2 ? [...variants].reverse() : variants) {
      const started = performance.now()
      const model = await llama.loadModel({ modelPath: variant.path })
      const loaded = performance.now()
      const context = await model.createContext({ contextSize: 512, threads: 1 })
      const prompt = model.tokenize('Human: hello<|separator|>\n\nAssistant:', true)
      // Counted as they come: a variant that ends its turn early is timed on what it generated.
      let generated = 0
      const decodeStart = performance.now()
      for await (const _ of context.getSequence().evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
        if (++generated === tokens) break
      }
      const seconds = (performance.now() - decodeStart) / 1000
      await context.dispose()
      await model.dispose()
      if (round === 0) continue
      variant.loadMs.push(loaded - started)
      variant.tokensPerSecond.push(generated / seconds)
    }
  }
  await llama.dispose()

  const base = variants[0]!
  const rows = variants.map((v) => ({
    variant: v.id,
    shards: v.shards,
    MB: (v.bytes / 1e6).toFixed(2),
    'load ms': `${median(v.loadMs).toFixed(1)} ±${spread(v.loadMs).toFixed(1)}`,
    'load vs f16': pairedRatio(v.loadMs, base.loadMs).toFixed(2),
    'tokens/s': `${median(v.tokensPerSecond).toFixed(0)} ±${spread(v.tokensPerSecond).toFixed(0)}`,
    'tokens/s vs f16': pairedRatio(v.tokensPerSecond, base.tokensPerSecond).toFixed(2),
  }))
  return { name: 'tiny Grok-2 in node-llama-cpp (1 thread, greedy, ' + tokens + ' tokens)', rows, markdown: table(rows) }
}

// tsx packages/models/train/quality.ts [outDir]: samples one reply (temperature 0.75, seed 1000+i, at most
// 120 tokens) from the trained GGUF in node-llama-cpp (CPU, 1 thread) for each of 100 prompts not in training
// (out/eval-prompts.json), and writes packages/models/trained/quality.json: the share of replies that are valid
// UTF-8, the share that end with <|separator|> before the limit, three sample replies, and the held-out loss.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LlamaLogLevel, getLlama, type LlamaModel, type Token } from 'node-llama-cpp'
import { SEPARATOR, tokenByteTable } from '../src/tokenizer.ts'
import { readTrainStats } from './train-stats.ts'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = process.argv[2] ?? join(here, 'out')
const trained = join(here, '..', 'trained')
const TEMPERATURE = 0.75
const MAX_TOKENS = 120

const prompts = JSON.parse(await readFile(join(outDir, 'eval-prompts.json'), 'utf8')) as string[]
const training = await readTrainStats(outDir)
const stats = training.refine // the last stage: the model's figures

const llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error })
const model = await llama.loadModel({ modelPath: join(trained, 'grok-2-tiny.gguf') })
const context = await model.createContext({ contextSize: 512, threads: 1 })
const sequence = context.getSequence()

const tokenBytes = tokenByteTable(model.fileInfo.metadata.tokenizer.ggml)!
const eos = model.tokens.eos!
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

function replyBytes(tokens: readonly Token[]): Uint8Array {
  return Uint8Array.from(tokens.flatMap((t) => [...tokenBytes[t]!]))
}

/** As native-server renders a one-message chat: `Human: …`, the separator by id, `\n\nAssistant:`. */
function prompt(m: LlamaModel, text: string): Token[] {
  return [...m.tokenize(`Human: ${text.trim()}`, false), eos, ...m.tokenize('\n\nAssistant:', false)]
}

const replies: Array<{ prompt: string; reply: string; tokens: number; ended: boolean; validUtf8: boolean }> = []
const started = performance.now()
for (const [i, text] of prompts.entries()) {
  await sequence.clearHistory()
  const out: Token[] = []
  let ended = false
  for await (const token of sequence.evaluate(prompt(model, text), { temperature: TEMPERATURE, seed: 1000 + i, yieldEogToken: true })) {
    if (token === eos) {
      ended = true
      break
    }
    out.push(token)
    if (out.length === MAX_TOKENS) break
  }
  const bytes = replyBytes(out)
  const validUtf8 = isValidUtf8(bytes)
  const reply = new TextDecoder().decode(bytes)
  replies.push({ prompt: text, reply, tokens: out.length, ended, validUtf8 })
}
const seconds = (performance.now() - started) / 1000
await context.dispose()
await model.dispose()
await llama.dispose()

const share = (f: (r: (typeof replies)[number]) => boolean) => Math.round((replies.filter(f).length / replies.length) * 1000) / 1000
const tokens = replies.reduce((n, r) => n + r.tokens, 0)
const quality = {
  model: 'packages/models/trained/grok-2-tiny.gguf',
  runtime: 'node-llama-cpp 3.22.1, CPU, 1 thread',
  prompts: replies.length,
  temperature: TEMPERATURE,
  maxTokens: MAX_TOKENS,
  seeds: `1000 + prompt index`,
  validUtf8Share: share((r) => r.validUtf8),
  endedWithSeparatorShare: share((r) => r.ended),
  meanReplyTokens: Math.round((tokens / replies.length) * 10) / 10,
  tokensPerSecond: Math.round(tokens / seconds),
  heldoutLoss: stats.heldoutLoss,
  heldoutPerplexity: stats.heldoutPerplexity,
  training,
  samples: [0, 60, 67].map((i) => replies[i]).filter(Boolean).map((r) => ({ prompt: r!.prompt, reply: r!.reply })),
  all: replies.map((r) => ({ prompt: r.prompt, reply: r.reply, ended: r.ended })),
}
await writeFile(join(trained, 'quality.json'), `${JSON.stringify(quality, null, 1)}\n`)
console.log(
  `quality: ${quality.validUtf8Share * 100}% valid UTF-8, ${quality.endedWithSeparatorShare * 100}% ended with ${SEPARATOR}, ` +
    `${quality.meanReplyTokens} tokens a reply; held-out loss ${stats.heldoutLoss} (perplexity ${stats.heldoutPerplexity})`,
)
for (const s of quality.samples) console.log(`  ${JSON.stringify(s.prompt)} -> ${JSON.stringify(s.reply)}`)

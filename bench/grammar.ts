// What constraining an answer to JSON costs, free text against a JSON schema of records (keys, enums,
// dates, integers: the grammar is busy on every token), interleaved after a warm-up round: on
// native-server (its own process, one thread) with the tiny Grok-2 and the 4× wider one (whose decodes
// cost what the grammar's sampling does not), and on the local route (the SDK and the worker in
// Chromium). Every stream is exactly max_tokens long: the schema asks for more records than fit, so the
// grammar never completes (json_object is left out: a free object may close at once, and then only
// ends of turn follow).
import { rm } from 'node:fs/promises'
import { ensureTinyModel } from '@tandem/models/node'
import { decodeChatStream, type ChatCompletionChunk } from '@tandem/protocol'
import { buildHarness, launchChromium, startIsolatedServer } from '../scripts/browser-harness/index.ts'
import { startTandemNative, type Child } from '../scripts/processes.ts'
import { chat, open } from './local.ts'
import { time, type Timing } from './sdk.ts'
import { median, pairedRatio, spread, table } from './stats.ts'
import { ensureWideModel, WIDE_NAME } from './wide-model.ts'

const RECORDS = {
  type: 'array',
  minItems: 100,
  maxItems: 128,
  items: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 16 },
      age: { type: 'integer' },
      born: { type: 'string', format: 'date' },
      role: { enum: ['admin', 'user', 'guest'] },
      score: { type: 'number' },
    },
    required: ['name', 'age', 'born', 'role', 'score'],
  },
}

export async function benchGrammar({ repetitions = 5, tokens = 128 } = {}) {
  const rows = [
    ...(await benchModel('grok-2-tiny', [], repetitions, tokens)),
    ...(await benchModel(WIDE_NAME, ['--model', `${WIDE_NAME}=${await ensureWideModel()}`], repetitions, tokens)),
    ...(await benchLocalRoute(repetitions, tokens)),
  ]
  const name = `JSON grammar vs free text, native-server (1 thread) and the local route (wllama in Chromium, 1 thread), ${tokens}-token streams ×${repetitions}`
  return { name, rows, markdown: table(rows) }
}

const WAYS = [
  { name: 'free text', extra: {} },
  { name: 'json_schema (records)', extra: { response_format: { type: 'json_schema' as const, json_schema: { name: 'records', schema: RECORDS } } } },
]

function rowsOf(route: string, ways: Array<{ name: string; timings: Timing[] }>) {
  const free = ways[0]!
  return ways.map((way) => {
    const tps = way.timings.map((t) => t.tokensPerSecond)
    const ttft = way.timings.map((t) => t.ttftMs)
    return {
      route,
      way: way.name,
      'TTFT ms': `${median(ttft).toFixed(1)} ±${spread(ttft).toFixed(1)}`,
      'TTFT vs free': pairedRatio(ttft, free.timings.map((t) => t.ttftMs)).toFixed(3),
      'tokens/s': `${median(tps).toFixed(1)} ±${spread(tps).toFixed(1)}`,
      'tokens/s vs free': pairedRatio(tps, free.timings.map((t) => t.tokensPerSecond)).toFixed(3),
    }
  })
}

/** The same two ways through the SDK and the real worker in Chromium, on the tiny Grok-2's shards. */
async function benchLocalRoute(repetitions: number, tokens: number) {
  const files = await ensureTinyModel()
  const dist = await buildHarness()
  const server = await startIsolatedServer({ root: dist, models: files.dir })
  const browser = await launchChromium()
  try {
    const page = await open(browser.context, server)
    const ways = WAYS.map((way) => ({ ...way, timings: [] as Timing[] }))
    for (let round = 0; round <= repetitions; round++) {
      for (const way of round % 2 ? [...ways].reverse() : ways) {
        const request = { messages: [{ role: 'user' as const, content: 'List the people you know.' }], max_tokens: tokens, temperature: 0, ignore_eos: true, ...way.extra }
        // The second of two answers in one client: the model is loaded, as it is for every answer but the first.
        const timing = (await chat(page, { threads: 1, request, repeat: 2 })).rounds[1]!
        if (round > 0) way.timings.push({ ttftMs: timing.firstContentMs, tokensPerSecond: ((timing.contentChunks - 1) * 1000) / (timing.lastContentMs - timing.firstContentMs) })
      }
    }
    return rowsOf('local: wllama, tiny', ways)
  } finally {
    await browser.close()
    await server.close()
    await rm(dist, { recursive: true, force: true })
  }
}

async function benchModel(model: string, args: string[], repetitions: number, tokens: number) {
  let server: Child | undefined
  try {
    server = await startTandemNative(args)
    const url = server.url
    const base = { model, messages: [{ role: 'user', content: 'List the people you know.' }], max_tokens: tokens, temperature: 0, ignore_eos: true, stream: true, stream_options: { include_usage: true } }

    async function* stream(extra: object): AsyncIterable<ChatCompletionChunk> {
      const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...base, ...extra }) })
      for await (const part of decodeChatStream(response.body!)) {
        if (part.type === 'error') throw part.error
        if (part.type === 'chunk') yield part.chunk
      }
    }
    const ways = WAYS.map((way) => ({ ...way, timings: [] as Timing[] }))
    for (let round = 0; round <= repetitions; round++) {
      for (const way of round % 2 ? [...ways].reverse() : ways) {
        const timing = await time(() => stream(way.extra))
        if (round > 0) way.timings.push(timing)
      }
    }
    return rowsOf(`native-server: ${model}`, ways)
  } finally {
    await server?.stop()
  }
}

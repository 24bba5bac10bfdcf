// What constraining an answer to JSON costs: native-server (its own process, one thread) on the tiny
// Grok-2 and on the 4× wider one (whose decodes cost what the grammar's sampling does not), the same
// prompt and sampling free and under a JSON schema of records (keys, enums, dates, integers: the grammar is busy on every token), interleaved after a warm-up
// round. Every stream is exactly max_tokens long: the schema asks for more records than fit, so the
// grammar never completes (json_object is left out: a free object may close at once, and then only
// ends of turn follow).
import { decodeChatStream, type ChatCompletionChunk } from '@tandem/protocol'
import { startTandemNative, type Child } from '../scripts/processes.ts'
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
  const rows = [...(await benchModel('grok-2-tiny', [], repetitions, tokens)), ...(await benchModel(WIDE_NAME, ['--model', `${WIDE_NAME}=${await ensureWideModel()}`], repetitions, tokens))]
  const name = `JSON grammar vs free text on native-server (1 thread, ${tokens}-token streams ×${repetitions})`
  return { name, rows, markdown: table(rows) }
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
    const ways = [
      { name: 'free text', extra: {} },
      { name: 'json_schema (records)', extra: { response_format: { type: 'json_schema', json_schema: { name: 'records', schema: RECORDS } } } },
    ].map((way) => ({ ...way, timings: [] as Timing[] }))
    for (let round = 0; round <= repetitions; round++) {
      for (const way of round % 2 ? [...ways].reverse() : ways) {
        const timing = await time(() => stream(way.extra))
        if (round > 0) way.timings.push(timing)
      }
    }

    const free = ways[0]!
    return ways.map((way) => {
      const tps = way.timings.map((t) => t.tokensPerSecond)
      const ttft = way.timings.map((t) => t.ttftMs)
      return {
        model,
        way: way.name,
        'TTFT ms': `${median(ttft).toFixed(1)} ±${spread(ttft).toFixed(1)}`,
        'TTFT vs free': pairedRatio(ttft, free.timings.map((t) => t.ttftMs)).toFixed(3),
        'tokens/s': `${median(tps).toFixed(1)} ±${spread(tps).toFixed(1)}`,
        'tokens/s vs free': pairedRatio(tps, free.timings.map((t) => t.tokensPerSecond)).toFixed(3),
      }
    })
  } finally {
    await server?.stop()
  }
}

// The SDK's cost on the remote route: one native-server on the tiny Grok-2 (its own process, one
// thread), streamed through `createTandem` against a raw `fetch` + `decodeChatStream` of the very same
// request body, interleaved after a warm-up round: time to first token and tokens/s, with ratios.
import { decodeChatStream, type ChatCompletionChunk } from '@tandem/protocol'
import { createTandem } from '@tandem/sdk'
import { startTandemNative, type Child } from '../scripts/processes.ts'
import { median, pairedRatio, spread, table } from './stats.ts'

const MODEL = 'grok-2-tiny'

export interface Timing {
  readonly ttftMs: number
  readonly tokensPerSecond: number
}

interface Way {
  readonly name: string
  readonly run: () => Promise<Timing>
  readonly ttftMs: number[]
  readonly tokensPerSecond: number[]
}

/** Times one stream from its first text to its last; tokens as its usage counts them (a chunk may carry several). */
export async function time(open: () => AsyncIterable<ChatCompletionChunk>): Promise<Timing> {
  const started = performance.now()
  let first = 0
  let last = 0
  let tokens = 0
  for await (const chunk of open()) {
    tokens = chunk.usage?.completion_tokens ?? tokens
    if (!chunk.choices[0]?.delta.content) continue
    last = performance.now()
    first ||= last
  }
  return { ttftMs: first - started, tokensPerSecond: ((tokens - 1) * 1000) / (last - first) }
}

export async function benchSdk({ repetitions = 5, tokens = 128 } = {}) {
  let server: Child | undefined
  try {
    server = await startTandemNative([])
    const url = server.url
    // Greedy and exactly max_tokens long (past the end of the turn), and what the SDK always sends.
    const params = { messages: [{ role: 'user' as const, content: 'Hello there' }], max_tokens: tokens, temperature: 0, ignore_eos: true }
    const body = JSON.stringify({ model: MODEL, ...params, stream: true, stream_options: { include_usage: true } })
    const tandem = createTandem({ model: MODEL, remote: { baseURL: `${url}/v1`, apiKey: 'sk_unused' }, route: 'remote-only' })

    async function* raw(): AsyncIterable<ChatCompletionChunk> {
      const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body })
      for await (const part of decodeChatStream(response.body!)) {
        if (part.type === 'error') throw part.error
        if (part.type === 'chunk') yield part.chunk
      }
    }
    async function* sdk(): AsyncIterable<ChatCompletionChunk> {
      yield* await tandem.chat.completions.create({ ...params, stream: true })
    }

    const way = (name: string, open: () => AsyncIterable<ChatCompletionChunk>): Way => ({ name, run: () => time(open), ttftMs: [], tokensPerSecond: [] })
    const ways = [way('raw fetch + decodeChatStream', raw), way('SDK (createTandem, remote)', sdk)]
    for (let round = 0; round <= repetitions; round++) {
      // Interleaved, alternating which goes first; round 0 warms up.
      for (const target of round % 2 ? [...ways].reverse() : ways) {
        const { ttftMs, tokensPerSecond } = await target.run()
        if (round === 0) continue
        target.ttftMs.push(ttftMs)
        target.tokensPerSecond.push(tokensPerSecond)
      }
    }

    const rawWay = ways[0]!
    const rows = ways.map((w) => ({
      way: w.name,
      'TTFT ms': `${median(w.ttftMs).toFixed(1)} ±${spread(w.ttftMs).toFixed(1)}`,
      'TTFT vs raw': pairedRatio(w.ttftMs, rawWay.ttftMs).toFixed(3),
      'added TTFT ms': (median(w.ttftMs) - median(rawWay.ttftMs)).toFixed(2),
      'tokens/s': `${median(w.tokensPerSecond).toFixed(1)} ±${spread(w.tokensPerSecond).toFixed(1)}`,
      'tokens/s vs raw': pairedRatio(w.tokensPerSecond, rawWay.tokensPerSecond).toFixed(3),
    }))
    const name = `SDK vs raw fetch on one native-server (tiny Grok-2, 1 thread, ${tokens}-token streams ×${repetitions})`
    return { name, rows, markdown: table(rows) }
  } finally {
    await server?.stop()
  }
}

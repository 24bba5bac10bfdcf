// @tandem/ai-sdk's cost: the same greedy stream on one native-server (its own process, tiny Grok-2), read through the
// AI SDK's `streamText` on `createTandemProvider` and through `createTandem` directly, interleaved after a warm-up
// round: time to first token and tokens/s, with paired ratios (target: tokens/s ≥ 0.98 of the SDK's).
import { createTandemProvider } from '@tandem/ai-sdk'
import { encodeChatPart, type ChatCompletionChunk } from '@tandem/protocol'
import { createTandem, type TandemOptions } from '@tandem/sdk'
import { streamText } from 'ai'
import { startTandemNative, type Child } from '../scripts/processes.ts'
import { median, pairedRatio, spread, table } from './stats.ts'

const MODEL = 'grok-2-tiny'

interface Timing {
  readonly ttftMs: number
  readonly tokensPerSecond: number
}

/** From the first text to the last; tokens as the stream's usage counts them (a chunk may carry several). */
class Clock {
  readonly #started = performance.now()
  #first = 0
  #last = 0

  text(): void {
    this.#last = performance.now()
    this.#first ||= this.#last
  }

  timing(tokens: number): Timing {
    return { ttftMs: this.#first - this.#started, tokensPerSecond: ((tokens - 1) * 1000) / (this.#last - this.#first) }
  }
}

/** The three ways to read one stream, over one client configuration. */
function waysFor(options: TandemOptions, tokens: number) {
  const messages = [{ role: 'user' as const, content: 'Hello there' }]
  const tandem = createTandem(options)
  const provider = createTandemProvider(options)

  async function sdk(): Promise<Timing> {
    const clock = new Clock()
    let used = 0
    for await (const chunk of await tandem.chat.completions.create({ messages, max_tokens: tokens, temperature: 0, ignore_eos: true, stream: true })) {
      used = chunk.usage?.completion_tokens ?? used
      if (chunk.choices[0]?.delta.content) clock.text()
    }
    return clock.timing(used)
  }

  async function aiSdk(): Promise<Timing> {
    const clock = new Clock()
    let used = 0
    const result = streamText({ model: provider(MODEL), messages, maxOutputTokens: tokens, temperature: 0, maxRetries: 0, providerOptions: { tandem: { ignoreEos: true } } })
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta' && part.text) clock.text()
      else if (part.type === 'finish') used = part.totalUsage.outputTokens ?? 0
    }
    return clock.timing(used)
  }

  /** The provider alone, read as the AI SDK reads it: what @tandem/ai-sdk adds, without streamText's own pipeline. */
  async function doStream(): Promise<Timing> {
    const clock = new Clock()
    let used = 0
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: messages[0]!.content }] }]
    const { stream } = await provider(MODEL).doStream({ prompt, maxOutputTokens: tokens, temperature: 0, providerOptions: { tandem: { ignoreEos: true } } })
    for await (const part of stream) {
      if (part.type === 'text-delta' && part.delta) clock.text()
      else if (part.type === 'finish') used = part.usage.outputTokens.total ?? 0
    }
    return clock.timing(used)
  }

  return [
    { name: 'SDK (createTandem)', run: sdk },
    { name: 'AI SDK streamText on @tandem/ai-sdk', run: aiSdk },
    { name: 'the provider alone (doStream)', run: doStream },
  ]
}

/** Interleaved rounds, rotating which way goes first; round 0 warms up. Ratios are paired per round against the first way. */
async function compare(ways: ReturnType<typeof waysFor>, repetitions: number): Promise<Array<Record<string, string>>> {
  const seen = ways.map(() => ({ ttftMs: [] as number[], tokensPerSecond: [] as number[] }))
  for (let round = 0; round <= repetitions; round++) {
    for (let k = 0; k < ways.length; k++) {
      const i = (round + k) % ways.length
      const { ttftMs, tokensPerSecond } = await ways[i]!.run()
      if (round === 0) continue
      seen[i]!.ttftMs.push(ttftMs)
      seen[i]!.tokensPerSecond.push(tokensPerSecond)
    }
  }
  const base = seen[0]!
  return ways.map((way, i) => ({
    way: way.name,
    'TTFT ms': `${median(seen[i]!.ttftMs).toFixed(1)} ±${spread(seen[i]!.ttftMs).toFixed(1)}`,
    'added TTFT ms': (median(seen[i]!.ttftMs) - median(base.ttftMs)).toFixed(2),
    'tokens/s': `${median(seen[i]!.tokensPerSecond).toFixed(0)} ±${spread(seen[i]!.tokensPerSecond).toFixed(0)}`,
    'tokens/s vs SDK': pairedRatio(seen[i]!.tokensPerSecond, base.tokensPerSecond).toFixed(3),
  }))
}

/**
 * A gateway that answers at once from memory: the model list, and a recorded stream of `tokens` one-token chunks. What
 * each way then measures is its own ceiling (SSE decoding included), with no model and no network in the way.
 */
function replayFetch(tokens: number): typeof fetch {
  let sse = ''
  for (let i = 0; i < tokens; i++) {
    const chunk: ChatCompletionChunk = { id: 'chatcmpl-replay', object: 'chat.completion.chunk', created: 1764400000, model: MODEL, choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: i === tokens - 1 ? 'length' : null }] }
    sse += encodeChatPart({ type: 'chunk', chunk })
  }
  const usage: ChatCompletionChunk = { id: 'chatcmpl-replay', object: 'chat.completion.chunk', created: 1764400000, model: MODEL, choices: [], usage: { prompt_tokens: 3, completion_tokens: tokens, total_tokens: tokens + 3 } }
  const bytes = new TextEncoder().encode(sse + encodeChatPart({ type: 'chunk', chunk: usage }) + encodeChatPart({ type: 'done' }))
  return async (_input, init) => {
    if ((init?.method ?? 'GET') === 'GET') return Response.json({ object: 'list', data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'tandem' }] })
    return new Response(bytes, { headers: { 'content-type': 'text/event-stream' } })
  }
}

export async function benchAiSdk({ repetitions = 5, tokens = 128, replayTokens = 20_000 } = {}) {
  let server: Child | undefined
  try {
    server = await startTandemNative([])
    const served = await compare(waysFor({ model: MODEL, remote: { baseURL: `${server.url}/v1`, apiKey: 'sk_unused' }, route: 'remote-only' }, tokens), repetitions)
    const replayed = await compare(waysFor({ model: MODEL, remote: { baseURL: 'http://replay.invalid/v1', apiKey: 'sk_unused' }, route: 'remote-only', fetch: replayFetch(replayTokens) }, replayTokens), repetitions)
    const rows = [...served.map((row) => ({ stream: `native-server, ${tokens} tokens`, ...row })), ...replayed.map((row) => ({ stream: `replayed, ${replayTokens} one-token chunks`, ...row }))]
    const name = `@tandem/ai-sdk vs @tandem/sdk: streamed tokens/s from one native-server (tiny Grok-2) and each way's ceiling on a replayed stream (×${repetitions})`
    return { name, rows, markdown: table(rows) }
  } finally {
    await server?.stop()
  }
}

// SSE decoding of a recorded chat stream: @tandem/protocol's decoder against the official openai client's, side by side.
import { decodeChatStream, encodeChatPart, type ChatCompletionChunk } from '@tandem/protocol'
import { Stream } from 'openai/core/streaming'
import { median, pairedRatio, spread, table } from './stats.ts'

/** A long answer in the shape llama.cpp and native-server send: many small chunks with multi-byte text. */
function recordedStream(chunks: number): Uint8Array {
  const words = ['the ', 'héllo ', '世界 ', 'grok ', '👋 ', 'stream ', 'token ']
  let text = ''
  for (let i = 0; i < chunks; i++) {
    const chunk: ChatCompletionChunk = {
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created: 1764400000,
      model: 'grok-2-tiny',
      choices: [{ index: 0, delta: { content: words[i % words.length]! }, finish_reason: null, logprobs: null }],
    }
    text += encodeChatPart({ type: 'chunk', chunk })
  }
  return new TextEncoder().encode(text + encodeChatPart({ type: 'done' }))
}

/** The body as a network delivers it: in 16 KiB pieces that cut lines and characters anywhere. */
function body(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.subarray(at, (at += 16384)))
    },
  })
}

async function ours(bytes: Uint8Array): Promise<number> {
  let count = 0
  for await (const part of decodeChatStream(body(bytes))) if (part.type === 'chunk') count++
  return count
}

async function openai(bytes: Uint8Array): Promise<number> {
  let count = 0
  const stream = Stream.fromSSEResponse<ChatCompletionChunk>(new Response(body(bytes)), new AbortController())
  for await (const _ of stream) count++
  return count
}

export async function benchDecoder({ repetitions = 7, chunks = 20_000 } = {}) {
  const bytes = recordedStream(chunks)
  const ways = [
    { name: '@tandem/protocol decodeChatStream (validates every chunk)', run: ours, mbps: [] as number[] },
    { name: 'openai Stream.fromSSEResponse (JSON.parse only)', run: openai, mbps: [] as number[] },
  ]
  // Interleaved, alternating which goes first; round 0 warms up.
  for (let round = 0; round <= repetitions; round++) {
    for (const way of round % 2 ? [...ways].reverse() : ways) {
      const started = performance.now()
      const count = await way.run(bytes)
      const seconds = (performance.now() - started) / 1000
      if (count !== chunks) throw new Error(`${way.name} decoded ${count} of ${chunks} chunks`)
      if (round > 0) way.mbps.push(bytes.byteLength / 1e6 / seconds)
    }
  }
  const base = ways[1]!
  const rows = ways.map((w) => ({
    decoder: w.name,
    'MB/s': `${median(w.mbps).toFixed(1)} ±${spread(w.mbps).toFixed(1)}`,
    'vs openai': pairedRatio(w.mbps, base.mbps).toFixed(2),
  }))
  return { name: `SSE decoding, ${(bytes.byteLength / 1e6).toFixed(1)} MB recorded stream of ${chunks} chunks in 16 KiB reads`, rows, markdown: table(rows) }
}

import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ChatCompletionChunk } from './chat-response.ts'
import { chatCompletionChunkSchema } from './chat-response.ts'
import { decodeChatStream } from './chat-stream-decoder.ts'
import { TandemError } from './errors.ts'
import { sseEvents } from './sse-decoder.ts'
import {
  createSseEncoderStream,
  encodeChatPart,
  encodeChatStream,
  formatSseEvent,
  SSE_DONE,
  SSE_PING,
} from './sse-encoder.ts'
import { bytesOf, collect, splitAt, streamOf, textOf } from './test-helpers.ts'

function chunkWith(content: string, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'grok-2-tiny', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra }
}

async function* chunksOf(chunks: ChatCompletionChunk[], failWith?: unknown): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of chunks) yield chunk
  if (failWith !== undefined) throw failWith
}

describe('encodeChatPart', () => {
  it('writes a chunk as one data line', () => {
    expect(encodeChatPart({ type: 'chunk', chunk: chunkWith('a\nb') })).toBe(
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"grok-2-tiny","choices":[{"index":0,"delta":{"content":"a\\nb"},"finish_reason":null}]}\n\n',
    )
  })

  it('writes done, an error event and a ping exactly', () => {
    expect(encodeChatPart({ type: 'done' })).toBe('data: [DONE]\n\n')
    expect(SSE_DONE).toBe('data: [DONE]\n\n')
    expect(SSE_PING).toBe(': ping\n\n')
    const error = new TandemError('rate_limited', 'slow down')
    expect(encodeChatPart({ type: 'error', error })).toBe(
      'event: error\ndata: {"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limited","param":null}}\n\n',
    )
  })
})

describe('formatSseEvent', () => {
  it('splits data on every kind of line break', () => {
    expect(formatSseEvent({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n')
    expect(formatSseEvent({ event: 'note', id: '7', data: '' })).toBe('event: note\nid: 7\ndata: \n\n')
  })

  it('refuses line breaks in names and ids', () => {
    expect(() => formatSseEvent({ event: 'a\nb', data: 'x' })).toThrow(TandemError)
    expect(() => formatSseEvent({ id: 'a\rb', data: 'x' })).toThrow(TandemError)
  })
})

describe('encodeChatStream', () => {
  afterEach(() => vi.useRealTimers())

  it('writes the chunks, then [DONE]', async () => {
    const text = await textOf(encodeChatStream(chunksOf([chunkWith('a'), chunkWith('b')])))
    expect(text).toBe(encodeChatPart({ type: 'chunk', chunk: chunkWith('a') }) + encodeChatPart({ type: 'chunk', chunk: chunkWith('b') }) + SSE_DONE)
  })

  it('ends with an error event and no [DONE] when the chunks throw', async () => {
    const error = new TandemError('upstream_unavailable', 'all upstreams are down')
    const text = await textOf(encodeChatStream(chunksOf([chunkWith('a')], error)))
    expect(text).toBe(encodeChatPart({ type: 'chunk', chunk: chunkWith('a') }) + encodeChatPart({ type: 'error', error }))
    expect(text).not.toContain('[DONE]')
  })

  it('hides a non-Tandem error behind an internal error', async () => {
    const text = await textOf(encodeChatStream(chunksOf([], new Error('secret stack detail'))))
    expect(text).toBe('event: error\ndata: {"error":{"message":"internal error","type":"server_error","code":"internal","param":null}}\n\n')
  })

  it('stops the producer when the client goes away', async () => {
    let finalized = false
    async function* endless(): AsyncGenerator<ChatCompletionChunk> {
      try {
        while (true) yield chunkWith('x')
      } finally {
        finalized = true
      }
    }
    const reader = encodeChatStream(endless()).getReader()
    await reader.read()
    await reader.cancel()
    expect(finalized).toBe(true)
  })

  it('pings while the producer is quiet', async () => {
    vi.useFakeTimers()
    let release: () => void = () => undefined
    async function* slow(): AsyncGenerator<ChatCompletionChunk> {
      await new Promise<void>((resolve) => (release = resolve))
      yield chunkWith('late')
    }
    const reader = encodeChatStream(slow(), { heartbeatMs: 1000 }).getReader()
    const first = reader.read()
    await vi.advanceTimersByTimeAsync(1000)
    expect(new TextDecoder().decode((await first).value)).toBe(SSE_PING)
    release()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('late')
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(SSE_DONE)
    expect((await reader.read()).done).toBe(true)
  })
})

describe('createSseEncoderStream', () => {
  it('encodes a stream of parts', async () => {
    const parts = streamOf([{ type: 'chunk', chunk: chunkWith('a') } as const, { type: 'done' } as const])
    expect(await textOf(parts.pipeThrough(createSseEncoderStream()))).toBe(encodeChatPart({ type: 'chunk', chunk: chunkWith('a') }) + SSE_DONE)
  })
})

describe('encoder → decoder round trip', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom('\n', '\r', '\r\n', 'data: ', ':', ' ', '[DONE]', 'é', '👋', '世界', '\u2028'), { maxLength: 12 }).map((bits) => bits.join('')),
  )
  const cuts = fc.array(fc.nat(), { maxLength: 20 })

  it('brings back the same chunks for any content and any split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 6 }), cuts, async (contents, points) => {
        const chunks = contents.map((content) => chunkWith(content))
        const bytes = bytesOf(await textOf(encodeChatStream(chunksOf(chunks))))
        const pieces = splitAt(bytes, points.map((point) => point % bytes.length))
        const parts = await collect(decodeChatStream(streamOf(pieces)))
        expect(parts).toEqual([...chunks.map((chunk) => ({ type: 'chunk', chunk: chatCompletionChunkSchema.parse(chunk) })), { type: 'done' }])
      }),
      { numRuns: 300 },
    )
  })

  it('brings back any event data, line breaks read as LF', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.constantFrom(undefined, 'message', 'error', 'note'), cuts, async (data, event, points) => {
        const bytes = bytesOf(formatSseEvent({ data, ...(event && { event }) }))
        const decoded = await collect(sseEvents(streamOf(splitAt(bytes, points.map((point) => point % bytes.length)))))
        expect(decoded).toEqual([{ event: event ?? 'message', data: data.replace(/\r\n?/g, '\n') }])
      }),
      { numRuns: 500 },
    )
  })
})

import { describe, expect, it } from 'vitest'
import { decodeChatStream, iterateStream, type ChatStreamPart } from '@tandem/protocol'
import { relaySse, type RelayEnd } from './relay-sse.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function chunk(content: string, extra: Record<string, unknown> = {}): string {
  const body = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra }
  return `data: ${JSON.stringify(body)}\n\n`
}
const usageChunk = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n`

/** An upstream body that sends `pieces` and then ends, fails, or hangs; aborting it errors it, as fetch does. */
function upstream(pieces: string[], then: 'end' | 'fail' | 'hang' = 'end') {
  let aborted: unknown
  let index = 0
  let source!: ReadableStreamDefaultController<Uint8Array>
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      source = controller
    },
    pull(controller) {
      if (index < pieces.length) return controller.enqueue(encoder.encode(pieces[index++]!))
      if (then === 'end') return controller.close()
      if (then === 'fail') return controller.error(new TypeError('socket hang up'))
      return new Promise<void>(() => {})
    },
    cancel(reason) {
      aborted = reason
    },
  })
  const reader = body.getReader()
  function abortBody(reason: unknown): void {
    aborted = reason
    source.error(reason)
  }
  return { reader, aborted: () => aborted, abortBody }
}

async function relay(pieces: string[], { then = 'end', keepUsageChunk = true, idleTimeoutMs = 5000 }: { then?: 'end' | 'fail' | 'hang'; keepUsageChunk?: boolean; idleTimeoutMs?: number } = {}) {
  const source = upstream(pieces.slice(1), then)
  let ended: RelayEnd | undefined
  const stream = relaySse({
    reader: source.reader,
    first: encoder.encode(pieces[0]!),
    keepUsageChunk,
    idleTimeoutMs,
    abort: (reason) => source.abortBody(reason),
    onEnd: (end) => (ended = end),
  })
  return { stream, source, ended: () => ended }
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = ''
  for await (const bytes of iterateStream(stream)) out += decoder.decode(bytes, { stream: true })
  return out
}

async function parts(stream: ReadableStream<Uint8Array>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = []
  for await (const part of decodeChatStream(stream)) out.push(part)
  return out
}

describe('relaySse', () => {
  it('passes a finished stream through byte for byte and reports its usage', async () => {
    const pieces = [chunk('a'), chunk('b') + ': ping\n\n', usageChunk, 'data: [DONE]\n\n']
    const { stream, ended } = await relay(pieces)
    expect(await text(stream)).toBe(pieces.join(''))
    expect(ended()).toMatchObject({ outcome: 'done', chunks: 2, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })
  })

  it('holds an unfinished event back until it is complete', async () => {
    const whole = chunk('hello')
    const { stream } = await relay([whole.slice(0, 10), whole.slice(10, 30), whole.slice(30), 'data: [DONE]\n\n'])
    const reader = stream.getReader()
    expect(decoder.decode((await reader.read()).value)).toBe(whole)
    expect(decoder.decode((await reader.read()).value)).toBe('data: [DONE]\n\n')
    expect((await reader.read()).done).toBe(true)
  })

  it('drops the usage chunk the client did not ask for, but still reads it', async () => {
    const { stream, ended } = await relay([chunk('a'), usageChunk, 'data: [DONE]\n\n'], { keepUsageChunk: false })
    expect(await text(stream)).toBe(chunk('a') + 'data: [DONE]\n\n')
    expect(ended()?.usage?.total_tokens).toBe(5)
  })

  it('passes the upstream’s own error event through as the end', async () => {
    const error = 'event: error\ndata: {"error":{"message":"boom","type":"server_error","code":"internal","param":null}}\n\n'
    const { stream, ended } = await relay([chunk('a'), error])
    expect(await text(stream)).toBe(chunk('a') + error)
    expect(ended()?.outcome).toBe('error')
  })

  it('ends a stream cut before [DONE] with an error event, never silently', async () => {
    const { stream, ended } = await relay([chunk('a'), chunk('b').slice(0, 12)])
    const received = await parts(stream)
    expect(received.map((p) => p.type)).toEqual(['chunk', 'error'])
    expect(received[1]).toMatchObject({ error: { code: 'upstream_error' } })
    expect(ended()).toMatchObject({ outcome: 'cut', chunks: 1 })
  })

  it('ends a stream whose connection fails with an error event', async () => {
    const { stream } = await relay([chunk('a')], { then: 'fail' })
    const received = await parts(stream)
    expect(received.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_unavailable', status: 503 } })
  })

  it('ends a stream that goes silent with a timeout error event and aborts the upstream', async () => {
    const { stream, source } = await relay([chunk('a')], { then: 'hang', idleTimeoutMs: 50 })
    const received = await parts(stream)
    expect(received.at(-1)).toMatchObject({ type: 'error', error: { code: 'timeout' } })
    expect((source.aborted() as DOMException).name).toBe('TimeoutError')
  })

  it('aborts the upstream when the client cancels', async () => {
    const { stream, source, ended } = await relay([chunk('a')], { then: 'hang' })
    const reader = stream.getReader()
    await reader.read()
    await reader.cancel('client left')
    expect(source.aborted()).toBe('client left')
    expect(ended()?.outcome).toBe('cancelled')
  })

  it('counts the tokens a cancelled stream delivered by their running counts, not by its chunks', async () => {
    const timed = (content: string, predicted: number) => chunk(content, { timings: { prompt_n: 9, predicted_n: predicted } })
    const { stream, ended } = await relay([timed('Once upon a time', 17), timed(' there lived', 40)], { then: 'hang' })
    const reader = stream.getReader()
    await reader.read()
    await reader.read()
    await reader.cancel('client left')
    expect(ended()).toMatchObject({ outcome: 'cancelled', chunks: 2, completionTokens: 40, promptTokens: 9 })

    // Without counts (a server that sends a token per chunk), each chunk with text is one.
    const plain = await relay([chunk('a'), chunk('b'), chunk('')], { then: 'fail' })
    await text(plain.stream)
    expect(plain.ended()).toMatchObject({ completionTokens: 2, promptTokens: undefined })
  })
})

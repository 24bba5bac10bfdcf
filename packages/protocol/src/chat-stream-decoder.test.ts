import { describe, expect, it } from 'vitest'
import { decodeChatStream } from './chat-stream-decoder.ts'
import type { ChatStreamPart } from './chat-stream-part.ts'
import { bytesOf, collect, streamOf } from './test-helpers.ts'

const chunk = (content: string) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })

function decode(text: string): Promise<ChatStreamPart[]> {
  return collect(decodeChatStream(streamOf([bytesOf(text)])))
}

function summary(parts: ChatStreamPart[]) {
  return parts.map((part) =>
    part.type === 'chunk' ? part.chunk.choices[0]?.delta.content : part.type === 'error' ? `${part.error.code}: ${part.error.message}` : 'done')
}

describe('decodeChatStream', () => {
  it('yields chunks, then done', async () => {
    expect(summary(await decode(`data: ${chunk('a')}\n\n: ping\n\ndata: ${chunk('b')}\n\ndata: [DONE]\n\n`))).toEqual(['a', 'b', 'done'])
  })

  it('reads an `event: error` as an error part and stops there', async () => {
    const envelope = '{"error":{"message":"model is loading","type":"server_error","code":"model_not_loaded","param":null}}'
    const parts = await decode(`data: ${chunk('a')}\n\nevent: error\ndata: ${envelope}\n\ndata: [DONE]\n\n`)
    expect(summary(parts)).toEqual(['a', 'model_not_loaded: model is loading'])
    const error = parts[1]?.type === 'error' ? parts[1].error : undefined
    expect([error?.status, error?.isRetryable]).toEqual([503, true])
  })

  it('reads an error envelope sent as plain data, as OpenAI does mid-stream', async () => {
    const parts = await decode('data: {"error":{"message":"Rate limit reached","type":"rate_limit_error","code":"rate_limit_exceeded","param":null}}\n\n')
    expect(summary(parts)).toEqual(['rate_limited: Rate limit reached'])
  })

  it('turns malformed data into an error part, not a throw', async () => {
    expect(summary(await decode(`data: ${chunk('a')}\n\ndata: {"id": oops\n\n`))).toEqual(['a', 'upstream_error: stream data is not JSON: "{\\"id\\": oops"'])
    const wrongShape = await decode('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":7},"finish_reason":null}]}\n\n')
    expect(summary(wrongShape)).toEqual(['upstream_error: invalid stream chunk: choices[0].delta.content: expected a string, got a number'])
    expect(summary(await decode('event: error\ndata: nope\n\n'))).toEqual(['upstream_error: stream data is not JSON: "nope"'])
    expect(summary(await decode('event: error\ndata: {"detail":"x"}\n\n'))).toEqual(['upstream_error: malformed error event: "{\\"detail\\":\\"x\\"}"'])
  })

  it('reports a stream that ends before [DONE]', async () => {
    const parts = await decode(`data: ${chunk('a')}\n\n`)
    expect(summary(parts)).toEqual(['a', 'upstream_error: the stream ended before [DONE]'])
    expect(parts[1]?.type === 'error' && parts[1].error.isRetryable).toBe(true)
  })

  it('ignores events a chat stream does not use', async () => {
    expect(summary(await decode(`event: ping\ndata: {}\n\ndata: ${chunk('a')}\n\ndata: [DONE]\n\n`))).toEqual(['a', 'done'])
  })

  it('yields an error part when the body fails mid-read', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytesOf(`data: ${chunk('a')}\n\n`))
      },
      pull(controller) {
        controller.error(new TypeError('terminated'))
      },
    })
    expect(summary(await collect(decodeChatStream(body)))).toEqual(['a', 'upstream_unavailable: upstream unavailable'])
  })

  it('reports an aborted body as aborted', async () => {
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new DOMException('stop', 'AbortError')) })
    expect(summary(await collect(decodeChatStream(body)))).toEqual(['aborted: the request was aborted'])
  })

  it('cancels the body when the consumer stops early', async () => {
    let resolveCancel: (reason: unknown) => void = () => undefined
    const cancelled = new Promise((resolve) => (resolveCancel = resolve))
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(bytesOf(`data: ${chunk('x')}\n\n`))
      },
      cancel: (reason) => resolveCancel(reason ?? 'cancelled'),
    })
    let seen = 0
    for await (const part of decodeChatStream(endless)) {
      expect(part.type).toBe('chunk')
      if (++seen === 3) break
    }
    await expect(cancelled).resolves.toBeDefined()
    expect(endless.locked).toBe(false)
  })
})

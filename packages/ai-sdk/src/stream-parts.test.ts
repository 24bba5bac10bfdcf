import { APICallError, type LanguageModelV4StreamPart } from '@ai-sdk/provider'
import { TandemError, type ChatCompletionChunk, type ChatStreamPart } from '@tandem/protocol'
import { ChatStream, type Plan } from '@tandem/sdk'
import { describe, expect, it } from 'vitest'
import { toStreamParts } from './stream-parts.ts'

const plan: Plan = { route: 'local', local: { variant: 'q4_0', backend: 'wasm', cached: true }, reasons: ['fits'], candidates: [] }

function chunk(content: string | null, extra: Partial<ChatCompletionChunk> = {}, finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'grok-2-tiny', choices: [{ index: 0, delta: { content }, finish_reason: finish }], ...extra }
}

type ToolCallDelta = NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number]

function call(delta: ToolCallDelta): ChatCompletionChunk {
  return { ...chunk(null), choices: [{ index: 0, delta: { tool_calls: [delta] }, finish_reason: null }] }
}

async function partsOf(parts: ChatStreamPart[], signal?: AbortSignal): Promise<LanguageModelV4StreamPart[]> {
  const controller = new AbortController()
  const stream = new ChatStream((async function* () { yield* parts })(), 'local', plan, controller)
  const errors = { modelId: 'grok-2-tiny', url: 'tandem:local', requestBody: {}, signal }
  const out: LanguageModelV4StreamPart[] = []
  for await (const part of toStreamParts(stream, { warnings: [], includeRawChunks: false, errors })) out.push(part)
  return out
}

describe('toStreamParts', () => {
  it('is one text block across a failover, and providerMetadata.tandem names both routes and the reason', async () => {
    const moved = { tandem: { route: 'remote' as const, reason: 'local worker stopped; continued on the remote route' } }
    const parts = await partsOf([
      { type: 'chunk', chunk: chunk('Hel', { tandem: { route: 'local' } }) },
      { type: 'chunk', chunk: chunk('lo', moved) },
      { type: 'chunk', chunk: chunk(null, moved, 'stop') },
      { type: 'chunk', chunk: { ...chunk(null, moved), choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } } },
      { type: 'done' },
    ])
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish'])
    expect(new Set(parts.flatMap((p) => ('id' in p && p.type.startsWith('text') ? [p.id] : []))).size).toBe(1)
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: { total: 5, noCache: 5, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 2, text: 2, reasoning: undefined }, raw: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
      providerMetadata: {
        tandem: {
          route: 'remote',
          plan: { route: 'local', reasons: ['fits'], local: { variant: 'q4_0', backend: 'wasm', cached: true } },
          failover: { from: 'local', to: 'remote', reason: 'local worker stopped; continued on the remote route' },
        },
      },
    })
  })

  it('streams a tool call as tool-input parts, then the whole call as tool-call, finishing with tool-calls', async () => {
    const parts = await partsOf([
      { type: 'chunk', chunk: call({ index: 0, id: 'call_1', type: 'function', function: { name: 'define_word', arguments: '' } }) },
      { type: 'chunk', chunk: call({ index: 0, function: { arguments: '{"word":' } }) },
      { type: 'chunk', chunk: call({ index: 0, function: { arguments: '"cat"}' } }) },
      { type: 'chunk', chunk: chunk(null, {}, 'tool_calls') },
      { type: 'done' },
    ])
    expect(parts.slice(2, -1)).toEqual([
      { type: 'tool-input-start', id: 'call_1', toolName: 'define_word' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"word":' },
      { type: 'tool-input-delta', id: 'call_1', delta: '"cat"}' },
      { type: 'tool-input-end', id: 'call_1' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'define_word', input: '{"word":"cat"}' },
    ])
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'tool-calls', raw: 'tool_calls' } })
  })

  it('ends the input of a tool call cut midway but calls nothing', async () => {
    const cut = call({ index: 0, id: 'call_1', type: 'function', function: { name: 'define_word', arguments: '{"wo' } })
    const parts = await partsOf([{ type: 'chunk', chunk: cut }, { type: 'error', error: new TandemError('tool_call_interrupted', 'the local route stopped inside a tool call') }])
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'tool-input-start', 'tool-input-delta', 'error', 'tool-input-end', 'finish'])
  })

  it('ends a stream cut midway with an error part keeping the code, then finish with reason error', async () => {
    const parts = await partsOf([{ type: 'chunk', chunk: chunk('Hi') }, { type: 'error', error: new TandemError('upstream_error', 'the upstream closed mid-answer') }])
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'response-metadata', 'text-start', 'text-delta', 'error', 'text-end', 'finish'])
    const error = (parts.find((p) => p.type === 'error') as { error: unknown }).error
    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 502, isRetryable: true, data: { code: 'upstream_error', param: null }, message: 'the upstream closed mid-answer' })
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'error' } })
  })

  it('says interrupted when the stream ends without a finish reason', async () => {
    const parts = await partsOf([{ type: 'chunk', chunk: chunk('Hi') }, { type: 'done' }])
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'interrupted', raw: undefined }, usage: { outputTokens: { total: undefined } } })
  })
})

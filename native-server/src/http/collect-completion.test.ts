import { describe, expect, it } from 'vitest'
import type { ChatCompletionChunk } from '@tandem/protocol'
import { chunkMaker } from '../engines/llama-cpp/chunks.ts'
import { collectCompletion } from './collect-completion.ts'

async function* from(chunks: ChatCompletionChunk[]) {
  yield* chunks
}

describe('collectCompletion', () => {
  it('joins text deltas, keeps the finish reason and usage', async () => {
    const make = chunkMaker({ id: 'c1', created: 5, model: 'm' })
    const chunks = [make.delta({ content: 'Hel' }), make.delta({ content: 'lo' }), make.finish('stop'), make.usage({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 })]
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: 'Hel' })
    expect(chunks[1]!.choices[0]!.delta).toEqual({ content: 'lo' })
    expect(await collectCompletion(from(chunks))).toEqual({
      id: 'c1',
      object: 'chat.completion',
      created: 5,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    })
  })

  it('names the role even when the finish is the first chunk', () => {
    expect(chunkMaker({ id: 'c', created: 1, model: 'm' }).finish('length').choices[0]!.delta).toEqual({ role: 'assistant', content: '' })
  })

  it('assembles streamed tool calls by index', async () => {
    const base = { id: 'c2', object: 'chat.completion.chunk' as const, created: 1, model: 'm' }
    const call = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: 'tool_calls' | null = null): ChatCompletionChunk => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finish }],
    })
    const completion = await collectCompletion(
      from([
        call({ role: 'assistant', tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'get_', arguments: '{"a"' } }] }),
        call({ tool_calls: [{ index: 0, function: { name: 'weather', arguments: ':1}' } }] }),
        call({}, 'tool_calls'),
      ]),
    )
    expect(completion.choices[0]!.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"a":1}' } }],
    })
  })

  it('refuses a stream that never finished', async () => {
    const make = chunkMaker({ id: 'c', created: 1, model: 'm' })
    await expect(collectCompletion(from([make.delta({ content: 'cut' })]))).rejects.toMatchObject({ code: 'upstream_error' })
  })
})

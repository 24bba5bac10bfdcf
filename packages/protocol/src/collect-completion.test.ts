import { describe, expect, it } from 'vitest'
import type { ChatCompletionChunk } from './chat-response.ts'
import { collectCompletion } from './collect-completion.ts'

const chunk = (choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'grok-2-tiny',
  choices,
  ...extra,
})
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }

async function* from(chunks: ChatCompletionChunk[]) {
  yield* chunks
}

describe('collectCompletion', () => {
  it('joins content and keeps the finish reason, usage, route and fingerprint, from an async or a plain iterable', async () => {
    const chunks = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], { tandem: { route: 'local' }, system_fingerprint: 'fp_1' }),
      chunk([{ index: 0, delta: { content: 'hé' }, finish_reason: null }], { tandem: { route: 'remote' } }),
      chunk([{ index: 0, delta: { content: 'llo' }, finish_reason: 'length' }]),
      chunk([], { usage }),
    ]
    const expected = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'grok-2-tiny',
      choices: [{ index: 0, message: { role: 'assistant', content: 'héllo', refusal: null }, finish_reason: 'length', logprobs: null }],
      usage,
      system_fingerprint: 'fp_1',
      // The last route a chunk named: a failover's.
      tandem: { route: 'remote' },
    }
    expect(await collectCompletion(from(chunks))).toEqual(expected)
    expect(await collectCompletion(chunks)).toEqual(expected)
  })

  it('assembles streamed tool calls by index, content null when only calls came', async () => {
    const completion = await collectCompletion([
      chunk([{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'get_', arguments: '{"a"' } }] }, finish_reason: null }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 't2', type: 'function', function: { name: 'now', arguments: '{}' } }] }, finish_reason: null }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'weather', arguments: ':1}' } }] }, finish_reason: 'tool_calls' }]),
      chunk([], { usage }),
    ])
    expect(completion.choices[0]).toMatchObject({
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"a":1}' } },
          { id: 't2', type: 'function', function: { name: 'now', arguments: '{}' } },
        ],
      },
      finish_reason: 'tool_calls',
    })
  })

  it('joins refusals and log-probabilities', async () => {
    const token = (t: string) => ({ token: t, logprob: -0.5, bytes: null, top_logprobs: [] })
    const completion = await collectCompletion([
      chunk([{ index: 0, delta: { refusal: 'No' }, finish_reason: null, logprobs: { content: [token('a')], refusal: null } }]),
      chunk([{ index: 0, delta: { refusal: '.' }, finish_reason: 'stop', logprobs: { content: [token('b')], refusal: null } }], { usage }),
    ])
    expect(completion.choices[0]!.message.refusal).toBe('No.')
    expect(completion.choices[0]!.logprobs!.content!.map((t) => t.token)).toEqual(['a', 'b'])
  })

  it('refuses a stream that was cut short: no chunk, no finish reason, or no usage', async () => {
    await expect(collectCompletion([])).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/without a chunk/) })
    await expect(collectCompletion([chunk([{ index: 0, delta: { content: 'cut' }, finish_reason: null }], { usage })])).rejects.toMatchObject({ message: expect.stringMatching(/before it finished/) })
    await expect(collectCompletion([chunk([{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }])])).rejects.toMatchObject({ message: expect.stringMatching(/did not report usage/) })
  })
})

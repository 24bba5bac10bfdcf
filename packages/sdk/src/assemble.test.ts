import type { ChatCompletionChunk } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { assembleCompletion } from './assemble.ts'

const chunk = (choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'grok-2-tiny',
  choices,
  ...extra,
})
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }

describe('assembleCompletion', () => {
  it('joins content, keeps the finish reason, usage and route', () => {
    const completion = assembleCompletion([
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], { tandem: { route: 'remote' } }),
      chunk([{ index: 0, delta: { content: 'hé' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'llo' }, finish_reason: 'length' }]),
      chunk([], { usage }),
    ])
    expect(completion).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'grok-2-tiny',
      choices: [{ index: 0, message: { role: 'assistant', content: 'héllo' }, finish_reason: 'length' }],
      usage,
      tandem: { route: 'remote' },
    })
  })

  it('merges tool call deltas by index', () => {
    const completion = assembleCompletion([
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a"' } }] }, finish_reason: null }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: 'tool_calls' }]),
      chunk([], { usage }),
    ])
    expect(completion.choices[0]!.message).toMatchObject({ content: null, tool_calls: [{ id: 'call_1', function: { name: 'get', arguments: '{"a":1}' } }] })
  })

  it('refuses a stream without chunks or usage', () => {
    expect(() => assembleCompletion([])).toThrow(/without a chunk/)
    expect(() => assembleCompletion([chunk([{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }])])).toThrow(/did not report usage/)
  })
})

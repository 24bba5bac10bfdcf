import { chatCompletionChunkSchema } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { createChunkMapper } from './wllama-chunks.ts'

const stamp = { id: 'chatcmpl-local-1', created: 1_700_000_000, model: 'grok-2-tiny', newAnswer: false, toolCalls: false }

// The shapes wllama 3.13 streamed in Chromium for the tiny model (role chunk, content, finish with timings).
const streamed = [
  { id: '', model: '', created: 1, object: 'chat.completion.chunk', system_fingerprint: 'wllama', choices: [{ index: 0, finish_reason: null, delta: { role: 'assistant', content: null } }] },
  { id: '', model: '', created: 1, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: null, delta: { content: ' in' } }] },
  { id: '', model: '', created: 1, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: null, delta: { content: 'to' } }] },
  { id: '', model: '', created: 1, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: 'length', delta: {} }], timings: { cache_n: 0, prompt_n: 12, predicted_n: 2 } },
]

describe('createChunkMapper', () => {
  it('stamps our id and model, keeps role, text and finish, and drops empty chunks', () => {
    const mapper = createChunkMapper(stamp)
    const chunks = streamed.map((c) => mapper.map(c)).filter((c) => c !== undefined)
    expect(chunks.map((c) => c.choices[0]!.delta)).toEqual([{ role: 'assistant' }, { content: ' in' }, { content: 'to' }, {}])
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length')
    for (const chunk of chunks) {
      expect(chatCompletionChunkSchema.parse(chunk)).toEqual(chunk)
      expect([chunk.id, chunk.model, chunk.created]).toEqual([stamp.id, stamp.model, stamp.created])
    }
  })

  it("drops the space after `Assistant:` from a new answer's first text, and only there", () => {
    const mapper = createChunkMapper({ ...stamp, newAnswer: true })
    const text = streamed.map((c) => mapper.map(c)?.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('into')
    const only = createChunkMapper({ ...stamp, newAnswer: true })
    expect(only.map({ choices: [{ delta: { content: ' ' } }] })).toBeUndefined()
    expect(only.map({ choices: [{ delta: { content: ' a' } }] })?.choices[0]?.delta.content).toBe(' a')
  })

  it('reads usage from the timings, or counts content chunks when none came', () => {
    const mapper = createChunkMapper(stamp)
    streamed.forEach((c) => mapper.map(c))
    expect(mapper.usage()).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 } })
    const bare = createChunkMapper(stamp)
    streamed.slice(0, 3).forEach((c) => bare.map(c))
    expect(bare.usage().usage).toEqual({ prompt_tokens: 0, completion_tokens: 2, total_tokens: 2 })
  })

  it('prefers usage the engine reports itself', () => {
    const mapper = createChunkMapper(stamp)
    mapper.map({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }, timings: { prompt_n: 1, predicted_n: 1 } })
    expect(mapper.usage().usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 })
  })

  it('reads tool calls out of the text and finishes with "tool_calls"', () => {
    const mapper = createChunkMapper({ ...stamp, newAnswer: true, toolCalls: true })
    const pieces = [' <tool_call>{"name": "define', '_word", "arguments": {"word": ', '"cat"}}</tool_call>']
    const chunks = [...pieces.map((content) => ({ choices: [{ delta: { content } }] })), { choices: [{ delta: {}, finish_reason: 'stop' }] }]
      .map((c) => mapper.map(c))
      .filter((c) => c !== undefined)
    expect(chunks.map((c) => c.choices[0]!.delta)).toEqual([
      { tool_calls: [{ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'define_word', arguments: '{"word": ' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"cat"}' } }] },
      {},
    ])
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls')
  })
})

import { describe, expect, it } from 'vitest'
import { chatCompletionChunkSchema, chatCompletionSchema } from './chat-response.ts'

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_741_570_283,
  model: 'grok-2-tiny',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
}

const chunk = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1_741_570_283,
  model: 'grok-2-tiny',
  choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }],
}

describe('chatCompletionSchema', () => {
  it('fills the fields OpenAI clients expect to be present', () => {
    expect(chatCompletionSchema.parse(completion).choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Hi', refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    })
  })

  it('carries tool calls and the Tandem route', () => {
    const parsed = chatCompletionSchema.parse({
      ...completion,
      choices: [{
        index: 0,
        message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        finish_reason: 'tool_calls',
      }],
      tandem: { route: 'local', reason: 'model fits in 1.2 GB of 16 GB' },
    })
    expect(parsed.choices[0]?.message.tool_calls).toHaveLength(1)
    expect(parsed.tandem).toEqual({ route: 'local', reason: 'model fits in 1.2 GB of 16 GB' })
  })

  it('reads logprobs the way llama.cpp sends them', () => {
    const logprobs = { content: [{ id: 9, token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1 }] }] }
    const parsed = chatCompletionSchema.parse({ ...completion, choices: [{ ...completion.choices[0], logprobs }] })
    expect(parsed.choices[0]?.logprobs).toEqual({
      content: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [{ token: 'Hi', logprob: -0.1, bytes: null }] }],
      refusal: null,
    })
  })

  it('reads a null system_fingerprint as absent', () => {
    expect(chatCompletionSchema.parse({ ...completion, system_fingerprint: null }).system_fingerprint).toBeUndefined()
    expect(chatCompletionSchema.parse({ ...completion, system_fingerprint: 'fp_1' }).system_fingerprint).toBe('fp_1')
  })

  it('rejects a completion without a finish reason or usage', () => {
    expect(chatCompletionSchema.safeParse({ ...completion, choices: [{ ...completion.choices[0], finish_reason: null }] }).success).toBe(false)
    expect(chatCompletionSchema.safeParse({ ...completion, usage: undefined }).success).toBe(false)
  })
})

describe('chatCompletionChunkSchema', () => {
  it('reads a content delta', () => {
    expect(chatCompletionChunkSchema.parse(chunk)).toEqual(chunk)
  })

  it('reads a role-only first delta, a tool call delta and a finish', () => {
    const first = { ...chunk, choices: [{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }] }
    const tool = {
      ...chunk,
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' } }] }, finish_reason: null }],
    }
    const last = { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }
    for (const value of [first, tool, last]) expect(chatCompletionChunkSchema.safeParse(value).success).toBe(true)
  })

  it('reads the final usage chunk with no choices', () => {
    const usage = { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }
    expect(chatCompletionChunkSchema.parse({ ...chunk, choices: [], usage }).usage).toEqual(usage)
    expect(chatCompletionChunkSchema.parse({ ...chunk, usage: null }).usage).toBeNull()
  })

  it('strips what other servers add', () => {
    const parsed = chatCompletionChunkSchema.parse({ ...chunk, obfuscation: 'x', timings: { prompt_n: 1 }, service_tier: 'default' })
    expect(Object.keys(parsed).sort()).toEqual(['choices', 'created', 'id', 'model', 'object'])
  })

  it('carries the Tandem route', () => {
    expect(chatCompletionChunkSchema.parse({ ...chunk, tandem: { route: 'remote' } }).tandem).toEqual({ route: 'remote' })
    expect(chatCompletionChunkSchema.safeParse({ ...chunk, tandem: { route: 'moon' } }).success).toBe(false)
  })

  it('rejects an unknown finish reason or object', () => {
    expect(chatCompletionChunkSchema.safeParse({ ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'eos' }] }).success).toBe(false)
    expect(chatCompletionChunkSchema.safeParse({ ...chunk, object: 'chat.completion' }).success).toBe(false)
  })
})

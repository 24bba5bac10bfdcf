// Recorded wire shapes, parsed as they arrive. The fixtures follow what the official openai
// client sends and what OpenAI and llama.cpp servers answer, field order and extras included.
import { describe, expect, it } from 'vitest'
import { chatCompletionSchema } from './chat-response.ts'
import { decodeChatStream } from './chat-stream-decoder.ts'
import completion from './fixtures/chat-completion.json'
import request from './fixtures/openai-request.json'
import llamaStream from './fixtures/llama-cpp-stream.sse?raw'
import openaiStream from './fixtures/openai-stream.sse?raw'
import { effectiveMaxTokens } from './chat-request.ts'
import { bytesOf, collect, splitAt, streamOf } from './test-helpers.ts'
import { parseChatRequest } from './validate.ts'

async function partsOf(text: string) {
  const bytes = bytesOf(text)
  // Cut every 7 bytes: through characters, lines and events alike.
  const cuts = Array.from({ length: Math.floor(bytes.length / 7) }, (_, i) => (i + 1) * 7)
  return collect(decodeChatStream(streamOf(splitAt(bytes, cuts))))
}

describe('recorded shapes', () => {
  it('parses the request the openai client sends with tools and stream_options', () => {
    const result = parseChatRequest(request)
    if (!result.ok) throw result.error
    const parsed = result.value
    expect(parsed.stream).toBe(true)
    expect(parsed.stream_options).toEqual({ include_usage: true })
    expect(parsed.tools?.[0]?.function.name).toBe('get_weather')
    expect(parsed.messages.map((message) => message.role)).toEqual(['developer', 'user', 'assistant', 'tool'])
    expect(effectiveMaxTokens(parsed)).toBe(256)
    expect(parsed.parallel_tool_calls).toBe(true)
    // Fields Tandem does not serve are stripped, not refused.
    expect(Object.keys(parsed)).not.toContain('metadata')
  })

  it('parses a non-streamed OpenAI completion', () => {
    const parsed = chatCompletionSchema.parse(completion)
    expect(parsed.choices[0]?.message).toEqual({ role: 'assistant', content: 'Paris: 18 °C and overcast — a light jacket will do.', refusal: null })
    expect(parsed.usage).toEqual({ prompt_tokens: 81, completion_tokens: 17, total_tokens: 98 })
    expect(parsed.system_fingerprint).toBe('fp_fc9f1d7035')
  })

  it('parses a llama.cpp stream: role-only first delta, ping, UTF-8, usage chunk, [DONE]', async () => {
    const parts = await partsOf(llamaStream)
    expect(parts.map((part) => part.type)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'chunk', 'chunk', 'done'])
    const chunks = parts.flatMap((part) => (part.type === 'chunk' ? [part.chunk] : []))
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: null })
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('héllo 👋 世界')
    expect(chunks[4]?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks[5]?.choices).toEqual([])
    expect(chunks[5]?.usage).toEqual({ completion_tokens: 4, prompt_tokens: 12, total_tokens: 16 })
  })

  it('parses an OpenAI tool-call stream with usage', async () => {
    const parts = await partsOf(openaiStream)
    expect(parts.at(-1)).toEqual({ type: 'done' })
    const chunks = parts.flatMap((part) => (part.type === 'chunk' ? [part.chunk] : []))
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(calls[0]).toEqual({ index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', type: 'function', function: { name: 'get_weather', arguments: '' } })
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}')
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls')
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(96)
  })
})

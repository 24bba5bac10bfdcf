import { parseChatRequest, type ChatCompletionChunk, type ChatRequest } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { continuationRequest, continueChunk, ProducedSoFar } from './continuation.ts'

function request(input: object): ChatRequest {
  const parsed = parseChatRequest({ model: 'grok-2-tiny', ...input })
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

describe('continuationRequest', () => {
  it('appends the produced text as an assistant prefix and shrinks the token budget', () => {
    const next = continuationRequest(request({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 }), { text: ' Hello', tokens: 6 })
    expect(next.messages.at(-1)).toEqual({ role: 'assistant', content: ' Hello', prefix: true })
    expect(next.max_tokens).toBe(14)
    // what goes on the wire is a valid request again
    expect(parseChatRequest(JSON.parse(JSON.stringify(next))).ok).toBe(true)
  })

  it("extends the caller's own prefix instead of adding a second one", () => {
    const original = request({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'text', text: ' Dear' }], prefix: true }], max_completion_tokens: 5 })
    const next = continuationRequest(original, { text: ' sir', tokens: 9 })
    expect(next.messages).toHaveLength(2)
    expect(next.messages.at(-1)).toEqual({ role: 'assistant', content: ' Dear sir', prefix: true })
    expect(next.max_completion_tokens).toBe(1)
  })

  it('sends the request unchanged when nothing was produced', () => {
    const original = request({ messages: [{ role: 'user', content: 'hi' }] })
    expect(continuationRequest(original, { text: '', tokens: 0 })).toBe(original)
  })
})

describe('continueChunk', () => {
  const chunk = (delta: object, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
    id: 'remote-9', object: 'chat.completion.chunk', created: 2, model: 'grok-2-tiny', choices: [{ index: 0, delta, finish_reason: null }], ...extra,
  })
  const route = { route: 'remote' as const, reason: 'failover: the local worker stopped' }

  it('keeps the first id, drops the repeated role and marks the route', () => {
    const next = continueChunk(chunk({ role: 'assistant', content: ' there' }), { id: 'local-1', created: 1 }, { text: 'x', tokens: 3 }, route)
    expect(next).toMatchObject({ id: 'local-1', created: 1, tandem: route })
    expect(next.choices[0]!.delta).toEqual({ content: ' there' })
  })

  it('adds the tokens produced before the switch to usage', () => {
    const next = continueChunk({ ...chunk({}), choices: [], usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } }, { id: 'local-1', created: 1 }, { text: 'x', tokens: 3 }, route)
    expect(next.usage).toEqual({ prompt_tokens: 10, completion_tokens: 7, total_tokens: 17 })
  })

  it('keeps the role when the first route sent nothing', () => {
    expect(continueChunk(chunk({ role: 'assistant' }), undefined, { text: '', tokens: 0 }, route).choices[0]!.delta).toEqual({ role: 'assistant' })
  })
})

describe('ProducedSoFar', () => {
  const text = (content: string, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
    id: 'local-1', object: 'chat.completion.chunk', created: 1, model: 'grok-2-tiny', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra,
  })

  it('counts tokens by the running usage a chunk carries, not by chunks, so the continuation’s budget and usage are right', () => {
    const produced = new ProducedSoFar()
    produced.add(text(' Once upon', { usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 } }))
    produced.add(text(' a time', { usage: { prompt_tokens: 4, completion_tokens: 11, total_tokens: 15 } }))
    expect([produced.text, produced.tokens]).toEqual([' Once upon a time', 11])
    expect(continuationRequest(request({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 }), produced).max_tokens).toBe(9)
  })

  it('counts a chunk with text as one token where no count comes with it (a token per chunk)', () => {
    const produced = new ProducedSoFar()
    for (const piece of [' a', '', ' b']) produced.add(text(piece))
    expect([produced.text, produced.tokens]).toEqual([' a b', 2])
  })
})

import { parseChatRequest, TandemError, type ChatCompletionChunk, type ChatRequest, type ChatStreamPart, type TandemErrorCode } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import type { Route, Transport } from '../transport.ts'
import { withFailover, type RouteChange } from './failover.ts'

function parsed(extra: object = {}): ChatRequest {
  const result = parseChatRequest({ model: 'grok-2-tiny', messages: [{ role: 'user', content: 'Count' }], max_tokens: 10, stream: true, ...extra })
  if (!result.ok) throw result.error
  return result.value
}
const request = parsed()

function chunk(id: string, delta: ChatCompletionChunk['choices'][number]['delta'], extra: Partial<ChatCompletionChunk> & { timings?: object } = {}): ChatStreamPart {
  return { type: 'chunk', chunk: { id, object: 'chat.completion.chunk', created: 1, model: 'grok-2-tiny', choices: [{ index: 0, delta, finish_reason: null }], ...extra } }
}
const fail = (code: TandemErrorCode): ChatStreamPart => ({ type: 'error', error: new TandemError(code, `${code} happened`) })

async function* scripted(parts: readonly ChatStreamPart[]): AsyncGenerator<ChatStreamPart> {
  yield* parts
}

/** Test double for the second route (the real ones need a worker or a gateway): it plays `parts` and keeps the requests it got. */
function secondRoute(route: Route, parts: readonly ChatStreamPart[]): Transport & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  return { route, requests, stream: (sent) => (requests.push(sent), scripted(parts)) }
}

async function run(first: readonly ChatStreamPart[], next: Transport, options: { available?: () => boolean; signal?: AbortSignal; request?: ChatRequest } = {}) {
  const changes: RouteChange[] = []
  const parts: ChatStreamPart[] = []
  const stream = withFailover(scripted(first), { request: options.request ?? request, from: 'local', next, signal: options.signal ?? new AbortController().signal, onRouteChange: (c) => changes.push(c), ...options })
  for await (const part of stream) parts.push(part)
  const text = parts.map((p) => (p.type === 'chunk' ? (p.chunk.choices[0]?.delta.content ?? '') : '')).join('')
  return { parts, text, changes, last: parts.at(-1) }
}

describe('withFailover', () => {
  it('continues a failed answer on the next route as one stream: same id, no lost or repeated text', async () => {
    const next = secondRoute('remote', [chunk('remote-1', { role: 'assistant', content: ' three' }), chunk('remote-1', { content: ', four' }), { type: 'done' }])
    const { parts, text, changes, last } = await run([chunk('local-1', { role: 'assistant', content: 'One' }), chunk('local-1', { content: ', two,' }), fail('local_unavailable')], next)
    expect(text).toBe('One, two, three, four')
    expect(last).toEqual({ type: 'done' })
    expect(new Set(parts.flatMap((p) => (p.type === 'chunk' ? [p.chunk.id] : [])))).toEqual(new Set(['local-1']))
    expect(parts.filter((p) => p.type === 'chunk' && p.chunk.choices[0]?.delta.role !== undefined)).toHaveLength(1)
    expect(next.requests[0]!.messages.at(-1)).toEqual({ role: 'assistant', content: 'One, two,', prefix: true })
    expect(changes).toMatchObject([{ from: 'local', to: 'remote', continuedAt: 'One, two,'.length, error: { code: 'local_unavailable' } }])
  })

  describe('with a JSON response_format', () => {
    const json = parsed({ response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object', properties: { n: { type: 'integer' } } } } } })

    it('starts over on the next route when the first failed before any text', async () => {
      const next = secondRoute('remote', [chunk('remote-1', { role: 'assistant', content: '{"n": 1}' }), { type: 'done' }])
      const { text, last, changes } = await run([chunk('local-1', { role: 'assistant', content: '' }), fail('local_unavailable')], next, { request: json })
      expect([text, last]).toEqual(['{"n": 1}', { type: 'done' }])
      expect(next.requests).toEqual([json])
      expect(changes).toHaveLength(1)
    })

    it('ends with the error, saying why, once text was delivered: no prefix, no second answer', async () => {
      const next = secondRoute('remote', [chunk('remote-1', { content: '1}' }), { type: 'done' }])
      const { text, last, changes } = await run([chunk('local-1', { role: 'assistant', content: '{"n": ' }), fail('local_unavailable')], next, { request: json })
      expect([text, changes, next.requests]).toEqual(['{"n": ', [], []])
      expect(last).toMatchObject({
        type: 'error',
        error: { code: 'local_unavailable', message: 'local_unavailable happened; an answer under response_format "json_schema" cannot be continued on another route: send the request again' },
      })
    })
  })

  it.each(['aborted', 'invalid_request'] as const)('keeps a %s error: another route would repeat it, or the caller asked for it', async (code) => {
    const next = secondRoute('remote', [chunk('remote-1', { content: 'never' }), { type: 'done' }])
    const { text, last, changes } = await run([chunk('local-1', { content: 'One' }), fail(code)], next)
    expect([text, changes, next.requests]).toEqual(['One', [], []])
    expect(last).toMatchObject({ type: 'error', error: { code } })
  })

  it('keeps the error when the next route is not available at the moment of failure', async () => {
    const next = secondRoute('remote', [chunk('remote-1', { content: 'never' }), { type: 'done' }])
    const { text, last } = await run([chunk('local-1', { content: 'One' }), fail('network')], next, { available: () => false })
    expect(last).toMatchObject({ type: 'error', error: { code: 'network' } })
    expect([text, next.requests]).toEqual(['One', []])
  })

  it('ends with the second route\'s error when it fails too, and tries no third time', async () => {
    const next = secondRoute('remote', [chunk('remote-1', { content: ' two' }), fail('upstream_unavailable')])
    const { text, last, changes } = await run([chunk('local-1', { content: 'One' }), fail('local_unavailable')], next)
    expect(text).toBe('One two')
    expect(last).toMatchObject({ type: 'error', error: { code: 'upstream_unavailable' } })
    expect([changes.length, next.requests.length]).toEqual([1, 1])
  })

  it('counts the tokens produced before the switch from the running counts, not one per chunk', async () => {
    const next = secondRoute('remote', [chunk('remote-1', { content: ' five' }), { type: 'chunk', chunk: { id: 'remote-1', object: 'chat.completion.chunk', created: 1, model: 'grok-2-tiny', choices: [], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } } }, { type: 'done' }])
    // One chunk that joins four tokens (native-server sends a chunk per 16 ms), with its running count.
    const { parts } = await run([chunk('local-1', { content: 'One two three four' }, { timings: { prompt_n: 5, predicted_n: 4 } }), fail('local_unavailable')], next)
    expect(next.requests[0]!.max_tokens).toBe(6)
    const usage = parts.flatMap((p) => (p.type === 'chunk' && p.chunk.usage ? [p.chunk.usage] : []))
    expect(usage).toEqual([{ prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 }])
  })

  it('fails a stream cut inside a tool call with tool_call_interrupted, and asks no other route to finish it', async () => {
    const next = secondRoute('remote', [chunk('remote-1', { tool_calls: [{ index: 0, id: 'call_r', type: 'function', function: { name: 'f', arguments: '{}' } }] }), { type: 'done' }])
    const started = chunk('local-1', { role: 'assistant', tool_calls: [{ index: 0, id: 'call_l', type: 'function', function: { name: 'f', arguments: '{"wo' } }] })
    const { parts, last, changes } = await run([started, fail('local_unavailable')], next)
    expect(parts).toHaveLength(2)
    expect(last).toMatchObject({ type: 'error', error: { code: 'tool_call_interrupted', message: expect.stringMatching(/local route stopped inside a tool call .*send the request again/) } })
    expect([changes, next.requests]).toEqual([[], []])
  })

  it('re-runs on the next route a tool answer that failed before its first chunk', async () => {
    const call = { index: 0, id: 'call_r', type: 'function' as const, function: { name: 'f', arguments: '{}' } }
    const next = secondRoute('remote', [chunk('remote-1', { role: 'assistant', tool_calls: [call] }), chunk('remote-1', {}, { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }), { type: 'done' }])
    const { parts, last } = await run([fail('local_unavailable')], next)
    expect(last).toEqual({ type: 'done' })
    expect(parts.flatMap((p) => (p.type === 'chunk' ? (p.chunk.choices[0]?.delta.tool_calls ?? []) : []))).toEqual([call])
    expect(next.requests).toEqual([request])
  })
})

// The package through its only door, the way other packages use it: a server answers a
// request over `Response`, a client reads that body with `fetch`'s types.
import { describe, expect, it } from 'vitest'
import {
  decodeChatStream,
  encodeChatStream,
  parseChatRequest,
  TandemError,
  type ChatCompletionChunk,
  type ChatStreamPart,
} from './index.ts'
import { collect } from './test-helpers.ts'

async function* reply(): AsyncGenerator<ChatCompletionChunk> {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'grok-2-tiny', tandem: { route: 'local' } } as const
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }
  yield { ...base, choices: [{ index: 0, delta: { content: 'héllo 👋' }, finish_reason: null }] }
  yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }
}

function serve(body: unknown): Response {
  const request = parseChatRequest(body)
  if (!request.ok) return Response.json(request.error.toEnvelope(), { status: request.error.status })
  return new Response(encodeChatStream(reply()), { headers: { 'content-type': 'text/event-stream' } })
}

describe('@tandem/protocol', () => {
  it('carries a request and its stream through Response bodies', async () => {
    const response = serve({ model: 'grok-2-tiny', messages: [{ role: 'user', content: 'hi' }], stream: true })
    const body = response.body
    if (!body) throw new Error('no body')
    const parts: ChatStreamPart[] = await collect(decodeChatStream(body))
    expect(parts.map((part) => part.type)).toEqual(['chunk', 'chunk', 'chunk', 'done'])
    const text = parts.map((part) => (part.type === 'chunk' ? (part.chunk.choices[0]?.delta.content ?? '') : '')).join('')
    expect(text).toBe('héllo 👋')
    expect(parts[0]?.type === 'chunk' && parts[0].chunk.tandem).toEqual({ route: 'local' })
  })

  it('answers a bad request with the OpenAI envelope and rebuilds it on the other side', async () => {
    const response = serve({ model: 'grok-2-tiny', messages: [{ role: 'user', content: 'hi' }], temperature: 7 })
    expect(response.status).toBe(400)
    const error = TandemError.fromEnvelope(await response.json(), response.status)
    expect([error.code, error.param, error.message]).toEqual(['invalid_request', 'temperature', 'temperature: must be at most 2'])
  })
})

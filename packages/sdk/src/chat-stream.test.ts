import type { ChatCompletionChunk, ChatStreamPart } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { ChatStream } from './chat-stream.ts'

const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'grok-2-tiny',
  choices: [{ index: 0, delta, finish_reason: finish }],
})
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }

async function* toolCallParts(): AsyncIterable<ChatStreamPart> {
  yield { type: 'chunk', chunk: chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'define_word', arguments: '{"word"' } }] }) }
  yield { type: 'chunk', chunk: chunk({ tool_calls: [{ index: 0, function: { arguments: ':"cat"}' } }] }, 'tool_calls') }
  yield { type: 'chunk', chunk: { ...chunk({}), choices: [], usage } }
  yield { type: 'done' }
}

const open = () => new ChatStream(toolCallParts(), 'remote', { route: 'remote', reasons: [], candidates: [] }, new AbortController())
const expected = { finish_reason: 'tool_calls', message: { content: null, tool_calls: [{ id: 'call_1', function: { name: 'define_word', arguments: '{"word":"cat"}' } }] } }

describe('ChatStream.finalCompletion', () => {
  it('reads the stream itself when nothing has', async () => {
    expect((await open().finalCompletion()).choices[0]).toMatchObject(expected)
  })

  it('after a for-await loop read it to the end, joins the chunks that loop saw', async () => {
    const stream = open()
    let seen = 0
    for await (const _ of stream) seen++
    expect(seen).toBe(3)
    expect((await stream.finalCompletion()).choices[0]).toMatchObject(expected)
  })

  it('refuses while a loop is still reading', async () => {
    const stream = open()
    for await (const _ of stream) {
      await expect(stream.finalCompletion()).rejects.toThrow('the stream has not been read to its end')
      break
    }
  })
})

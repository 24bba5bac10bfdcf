import { UnsupportedFunctionalityError } from '@ai-sdk/provider'
import { chatRequestSchema } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { toChatMessages } from './prompt.ts'

describe('toChatMessages', () => {
  it('maps system, user, assistant (text and tool calls) and tool messages into a request the wire accepts', () => {
    const messages = toChatMessages([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Define ' }, { type: 'text', text: 'tandem.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'not sent back' },
          { type: 'text', text: 'Looking it up.' },
          { type: 'tool-call', toolCallId: 'call_1', toolName: 'define_word', input: { word: 'tandem' } },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'define_word', output: { type: 'json', value: { meaning: 'one behind another' } } }] },
    ])
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Define tandem.' },
      { role: 'assistant', content: 'Looking it up.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'define_word', arguments: '{"word":"tandem"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"meaning":"one behind another"}' },
    ])
    expect(chatRequestSchema.safeParse({ model: 'grok-2-tiny', messages }).success).toBe(true)
  })

  it('reads text tool results, errors and denials as the text the model sees', () => {
    const result = (output: object) =>
      toChatMessages([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 't', output } as never] }])[0]
    expect(result({ type: 'text', value: 'sunny' })).toMatchObject({ content: 'sunny' })
    expect(result({ type: 'error-text', value: 'no such word' })).toMatchObject({ content: 'no such word' })
    expect(result({ type: 'execution-denied', reason: 'not allowed' })).toMatchObject({ content: 'not allowed' })
    expect(result({ type: 'content', value: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })).toMatchObject({ content: 'ab' })
  })

  it('puts the results of calls made inside the assistant turn after that turn', () => {
    const messages = toChatMessages([
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'c1', toolName: 'search', input: { q: 'x' }, providerExecuted: true },
          { type: 'tool-result', toolCallId: 'c1', toolName: 'search', output: { type: 'text', value: 'found' } },
        ],
      },
    ])
    expect(messages.map((m) => m.role)).toEqual(['assistant', 'tool'])
  })

  it('refuses file parts with an error that names them: the models read text only', () => {
    const withFile = () => toChatMessages([{ role: 'user', content: [{ type: 'file', mediaType: 'image/png', data: { type: 'url', url: new URL('https://example.com/a.png') } } as never] }])
    expect(withFile).toThrow(UnsupportedFunctionalityError)
    expect(withFile).toThrow(/file parts in user messages/)
  })
})

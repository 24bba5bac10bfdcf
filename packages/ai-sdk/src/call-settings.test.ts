import { InvalidArgumentError } from '@ai-sdk/provider'
import { describe, expect, it } from 'vitest'
import { toCallSettings } from './call-settings.ts'

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }]

describe('toCallSettings', () => {
  it('maps every sampling setting to its Chat Completions field, and the abort signal through', () => {
    const signal = new AbortController().signal
    const { params, warnings } = toCallSettings('grok-2-tiny', {
      prompt,
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 12,
      stopSequences: ['\n'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      abortSignal: signal,
      providerOptions: { tandem: { ignoreEos: true, user: 'u1' } },
    })
    expect(params).toEqual({
      model: 'grok-2-tiny',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 12,
      stop: ['\n'],
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      ignore_eos: true,
      user: 'u1',
      signal,
    })
    expect(warnings).toEqual([])
  })

  it('sends tools, the tool choice, parallel_tool_calls and JSON output as their Chat Completions fields, with no warning', () => {
    const parameters = { type: 'object' as const, properties: { word: { type: 'string' as const } }, required: ['word'] }
    const { params, warnings } = toCallSettings('grok-2-tiny', {
      prompt,
      tools: [{ type: 'function', name: 'define_word', description: 'Defines a word', inputSchema: parameters }],
      toolChoice: { type: 'tool', toolName: 'define_word' },
      responseFormat: { type: 'json' },
      providerOptions: { tandem: { parallelToolCalls: false } },
    })
    expect(params).toMatchObject({
      tools: [{ type: 'function', function: { name: 'define_word', description: 'Defines a word', parameters } }],
      tool_choice: { type: 'function', function: { name: 'define_word' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_object' },
    })
    expect(warnings).toEqual([])
  })

  it('warns for each setting the routes cannot honour, and ignores other providers’ options and the AI SDK’s user-agent', () => {
    const { warnings } = toCallSettings('grok-2-tiny', {
      prompt,
      topK: 4,
      reasoning: 'high',
      headers: { 'user-agent': 'ai/7', 'x-trace': '1' },
      tools: [{ type: 'provider', id: 'openai.web_search', name: 'search', args: {} }],
      providerOptions: { tandem: { beam: 2 }, openai: { store: true } },
    })
    expect(warnings.map((w) => ('feature' in w ? w.feature : w.type))).toEqual(['provider-defined tool openai.web_search', 'topK', 'reasoning', 'headers', 'providerOptions.tandem.beam'])
    expect(warnings.every((w) => w.type === 'unsupported')).toBe(true)
  })

  it('rejects a known Tandem option of the wrong type, naming it', () => {
    const call = () => toCallSettings('grok-2-tiny', { prompt, providerOptions: { tandem: { ignoreEos: 'yes' } } })
    expect(call).toThrow(InvalidArgumentError)
    expect(call).toThrow(/^providerOptions\.tandem\.ignoreEos: /)
  })
})

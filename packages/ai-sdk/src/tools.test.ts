import { describe, expect, it } from 'vitest'
import { toChatTools } from './tools.ts'

const defineWord = { type: 'function' as const, name: 'define_word', inputSchema: { type: 'object' as const } }

describe('toChatTools', () => {
  it('maps each tool choice to its Chat Completions form', () => {
    const choices = [{ type: 'auto' }, { type: 'none' }, { type: 'required' }, { type: 'tool', toolName: 'define_word' }] as const
    expect(choices.map((toolChoice) => toChatTools({ tools: [defineWord], toolChoice }, []).tool_choice)).toEqual([
      'auto',
      'none',
      'required',
      { type: 'function', function: { name: 'define_word' } },
    ])
  })

  it('leaves a provider-defined tool out with a warning, and sends no tool choice when no tool is left', () => {
    const warnings: Parameters<typeof toChatTools>[1] = []
    const provider = { type: 'provider' as const, id: 'openai.web_search' as const, name: 'search', args: {} }
    expect(toChatTools({ tools: [provider], toolChoice: { type: 'required' } }, warnings)).toEqual({})
    expect(warnings).toEqual([{ type: 'unsupported', feature: 'provider-defined tool openai.web_search', details: 'Tandem calls function tools only' }])
    expect(toChatTools({ tools: [provider, defineWord] }, []).tools?.map((tool) => tool.function.name)).toEqual(['define_word'])
  })
})

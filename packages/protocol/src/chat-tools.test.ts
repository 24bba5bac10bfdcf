import { describe, expect, it } from 'vitest'
import { functionToolSchema, toolCallSchema, toolChoiceSchema } from './chat-tools.ts'

describe('functionToolSchema', () => {
  it('accepts a function with or without parameters', () => {
    expect(functionToolSchema.safeParse({ type: 'function', function: { name: 'now' } }).success).toBe(true)
    const weather = { type: 'function', function: { name: 'w', description: 'd', parameters: { type: 'object' }, strict: true } }
    expect(functionToolSchema.parse(weather)).toEqual(weather)
  })

  it('rejects other tool kinds with one clear issue', () => {
    const issues = functionToolSchema.safeParse({ type: 'custom', custom: { name: 'g' } }).error?.issues
    expect(issues?.map((issue) => [issue.path, issue.message])).toEqual([[['type'], 'only function tools are supported']])
  })

  it('needs a name', () => {
    expect(functionToolSchema.safeParse({ type: 'function', function: { name: '' } }).success).toBe(false)
  })
})

describe('toolChoiceSchema', () => {
  it('accepts the modes and a named function', () => {
    for (const choice of ['none', 'auto', 'required', { type: 'function', function: { name: 'w' } }]) {
      expect(toolChoiceSchema.safeParse(choice).success).toBe(true)
    }
  })

  it('rejects allowed_tools and custom choices', () => {
    expect(toolChoiceSchema.safeParse({ type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } }).success).toBe(false)
    expect(toolChoiceSchema.safeParse({ type: 'custom', custom: { name: 'g' } }).success).toBe(false)
  })
})

describe('toolCallSchema', () => {
  it('reads a function call', () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } }
    expect(toolCallSchema.parse(call)).toEqual(call)
  })
})

import { describe, expect, it } from 'vitest'
import { MAX_STEPS, readTools, recordedCall, runToolCall, toolFields, type ChatTool } from './tools.ts'

const define: ChatTool = {
  name: 'define_word',
  description: 'Look up a word.',
  parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
  run: ({ word }: { word: string }) => `the meaning of ${word}`,
}
const call = (name: string, args: string) => ({ id: 'call_1', type: 'function' as const, function: { name, arguments: args } })
const live = () => new AbortController().signal

describe('readTools', () => {
  it('takes tools with a name, parameters of the supported subset and a run function', () => {
    expect(readTools([define])).toEqual([define])
  })

  it.each([
    [{}, 'tools[0].run: expected a function'],
    [{ ...define, name: 'define word' }, 'tools[0].name: expected 1 to 64 letters, digits, "_" or "-"'],
    [{ ...define, parameters: { type: 'string' } }, 'tools[0].parameters.type: must describe an object ("type": "object")'],
    [{ ...define, parameters: { type: 'object', properties: { w: { type: 'string', pattern: 'a' } } } }, 'tools[0].parameters.properties.w.pattern: "pattern" is not supported'],
    [{ ...define, timeoutMs: 0 }, 'tools[0].timeoutMs'],
  ])('refuses a bad tool, naming the field (%#)', (tool, message) => {
    expect(() => readTools([tool])).toThrow(message)
  })

  it('refuses two tools of one name', () => {
    expect(() => readTools([define, define])).toThrow('tools[1].name: "define_word" is already a tool\'s name')
  })
})

describe('toolFields', () => {
  it('offers the tools; the choice holds for the first step, then auto, and the last step may not call', () => {
    const steps = Array.from({ length: MAX_STEPS }, (_, step) => toolFields([define], 'define_word', step).tool_choice)
    expect(steps).toEqual([{ type: 'function', function: { name: 'define_word' } }, ...Array(MAX_STEPS - 2).fill('auto'), 'none'])
    expect(toolFields([define], 'required', 0)).toEqual({
      tools: [{ type: 'function', function: { name: 'define_word', description: 'Look up a word.', parameters: define.parameters } }],
      tool_choice: 'required',
    })
    expect(toolFields([define], 'none', 1).tool_choice).toBe('none')
  })

  it('adds nothing without tools', () => {
    expect(toolFields([], 'required', 0)).toEqual({})
  })
})

describe('runToolCall', () => {
  it('gives run the parsed arguments and sends text as it is, other values as JSON', async () => {
    expect(await runToolCall(call('define_word', '{"word":"cat"}'), [define], live())).toEqual({ ok: true, content: 'the meaning of cat' })
    const json: ChatTool = { name: 'j', run: async () => ({ a: [1] }) }
    expect(await runToolCall(call('j', '{}'), [json], live())).toEqual({ ok: true, content: '{"a":[1]}' })
  })

  it('returns a throwing run as an error result for the model', async () => {
    const broken: ChatTool = { name: 'b', run: () => { throw new Error('dictionary offline') } }
    expect(await runToolCall(call('b', '{}'), [broken], live())).toEqual({ ok: false, error: 'dictionary offline', content: '{"error":"dictionary offline"}' })
  })

  it('answers an unknown tool and arguments that do not parse with an error', async () => {
    expect(await runToolCall(call('nope', '{}'), [define], live())).toMatchObject({ ok: false, error: 'there is no tool named "nope"' })
    expect(await runToolCall(call('define_word', '{"word":'), [define], live())).toMatchObject({ ok: false, error: 'the arguments are not a JSON object: {"word":' })
    expect(recordedCall(call('define_word', '{"word":')).function.arguments).toBe('{}')
  })

  it('stops waiting on a stop or a timeout even when run ignores its signal, and aborts the signal run got', async () => {
    let given: AbortSignal | undefined
    const hang: ChatTool = { name: 'h', timeoutMs: 50, run: (_, { signal }) => { given = signal; return new Promise(() => {}) } }
    expect(await runToolCall(call('h', '{}'), [hang], live())).toMatchObject({ ok: false, error: 'timed out after 0.05 s' })
    expect(given?.aborted).toBe(true)
    const controller = new AbortController()
    const stopped = runToolCall(call('h', '{}'), [{ ...hang, timeoutMs: 60_000 }], controller.signal)
    controller.abort()
    expect(await stopped).toEqual({ ok: false, error: 'stopped', content: '{"error":"stopped"}' })
    expect(given?.aborted).toBe(true)
  })
})

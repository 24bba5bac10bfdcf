import { describe, expect, it } from 'vitest'
import { appendDelta, ToolCallParser, type AnswerDelta } from './tool-call-parser.ts'
import { toolCallText } from './tool-format.ts'

/** Feeds `pieces` and joins every delta, as a client assembles them. */
function read(pieces: readonly string[]) {
  const parser = new ToolCallParser()
  const all: AnswerDelta = {}
  const deltas: AnswerDelta[] = []
  for (const piece of pieces) {
    const delta = parser.push(piece)
    if (delta) deltas.push(delta)
  }
  for (const delta of deltas) appendDelta(all, delta)
  return { all, deltas, complete: parser.completeCalls, called: parser.calledTools() }
}

/** Every way to cut `text` in two, and one character at a time. */
function cuts(text: string): string[][] {
  return [...Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]), [...text]]
}

describe('ToolCallParser', () => {
  it('passes text through as content, however it is cut', () => {
    for (const pieces of cuts('Hello <b> there {"a": 1}')) {
      expect(read(pieces).all).toEqual({ content: 'Hello <b> there {"a": 1}' })
    }
  })

  it('reads calls into index, id, name and arguments, however the text is cut', () => {
    const args = '{"word": "ca}t\\"{", "n": [1, {"x": 2}]}'
    const text = toolCallText('define_word', args) + toolCallText('now', '{}')
    for (const pieces of cuts(text)) {
      const { all, complete } = read(pieces)
      expect(all.content).toBeUndefined()
      expect(all.tool_calls).toEqual([
        { index: 0, id: expect.stringMatching(/^call_[0-9a-f]{24}$/), type: 'function', function: { name: 'define_word', arguments: args } },
        { index: 1, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'now', arguments: '{}' } },
      ])
      expect(complete).toBe(2)
      expect(read(pieces).called).toBe(true)
    }
  })

  it('names a call before any of its arguments, and streams the arguments in pieces', () => {
    const text = toolCallText('f', '{"word": "cat"}')
    const cut = text.indexOf('cat')
    const { deltas } = read([text.slice(0, cut), text.slice(cut)])
    expect(deltas[0]!.tool_calls).toEqual([{ index: 0, id: expect.any(String), type: 'function', function: { name: 'f', arguments: '{"word": "' } }])
    expect(deltas[1]!.tool_calls).toEqual([{ index: 0, function: { arguments: 'cat"}' } }])
  })

  it('gives text that only looks like a call back as content', () => {
    expect(read(['<tool_call>{"nam', 'e": 5}']).all).toEqual({ content: '<tool_call>{"name": 5}' })
  })

  it('gives nothing for a call cut in its opening, as for one cut in its head: the grammar lets no text start with `<`', () => {
    for (const cut of ['<', '<tool_c', '<tool_call>', '<tool_call>{"name": "f']) {
      expect(read([cut]).all, cut).toEqual({})
      const after = read([toolCallText('f', '{}'), cut])
      expect(after.all.content, cut).toBeUndefined()
      expect([after.complete, after.called], cut).toEqual([1, false])
    }
  })

  it('reports a call cut short as incomplete', () => {
    const { all, complete, called } = read(['<tool_call>{"name": "f", "arguments": {"a": "b'])
    expect(all.tool_calls?.[0]?.function).toEqual({ name: 'f', arguments: '{"a": "b' })
    expect([complete, called]).toEqual([0, false])
    const second = read([toolCallText('f', '{}'), '<tool_call>{"name": "g", "arguments": {'])
    expect([second.complete, second.called]).toEqual([1, false])
  })
})

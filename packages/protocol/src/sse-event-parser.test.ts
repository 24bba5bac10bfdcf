import { describe, expect, it } from 'vitest'
import { createSseEventParser } from './sse-event-parser.ts'
import { collect, streamOf } from './test-helpers.ts'

function events(text: string) {
  // The parser takes lines; these inputs use LF only.
  const lines = text.split('\n')
  lines.pop()
  return collect(streamOf(lines).pipeThrough(createSseEventParser()))
}

describe('createSseEventParser', () => {
  it('joins data lines with LF (the spec example)', async () => {
    expect(await events('data: YHOO\ndata: +2\ndata: 10\n\n')).toEqual([{ event: 'message', data: 'YHOO\n+2\n10' }])
  })

  it('follows ids, comments and the single space rule (the spec example)', async () => {
    const text = ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n'
    expect(await events(text)).toEqual([
      { event: 'message', data: 'first event', id: '1' },
      { event: 'message', data: 'second event', id: '' },
      { event: 'message', data: ' third event', id: '' },
    ])
  })

  it('treats a field without a colon as empty, and drops the unfinished last event (the spec example)', async () => {
    expect(await events('data\n\ndata\ndata\n\ndata:')).toEqual([
      { event: 'message', data: '' },
      { event: 'message', data: '\n' },
    ])
  })

  it('names events and resets the name after each one', async () => {
    expect(await events('event: error\ndata: {}\n\ndata: x\n\n')).toEqual([
      { event: 'error', data: '{}' },
      { event: 'message', data: 'x' },
    ])
  })

  it('does not dispatch an event without data', async () => {
    expect(await events('event: ping\n\n: comment\n\nid: 7\n\n')).toEqual([])
  })

  it('keeps retry when it is all digits, ignores unknown fields and ids with NUL', async () => {
    expect(await events('retry: 3000\nretry: soon\nfoo: bar\nid: a\0b\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x', retry: 3000 }])
  })

  it('keeps colons after the first in the value', async () => {
    expect(await events('data: a: b:c\n\n')).toEqual([{ event: 'message', data: 'a: b:c' }])
  })
})

import { describe, expect, it } from 'vitest'
import { createLineSplitter } from './sse-line-splitter.ts'
import { collect, streamOf } from './test-helpers.ts'

function lines(pieces: string[]): Promise<string[]> {
  return collect(streamOf(pieces).pipeThrough(createLineSplitter()))
}

describe('createLineSplitter', () => {
  it('ends lines at LF, CRLF and CR alike', async () => {
    expect(await lines(['a\nb\r\nc\rd\n'])).toEqual(['a', 'b', 'c', 'd'])
  })

  it('keeps blank lines', async () => {
    expect(await lines(['a\n\nb\r\n\r\n\r\r'])).toEqual(['a', '', 'b', '', '', ''])
  })

  it('treats a CR ending one chunk and an LF starting the next as one line ending', async () => {
    expect(await lines(['a\r', '\nb\n'])).toEqual(['a', 'b'])
    expect(await lines(['a\r', '', '\nb\n'])).toEqual(['a', 'b'])
    expect(await lines(['a\r', '\r', '\n'])).toEqual(['a', ''])
  })

  it('emits a CR-ended line without waiting for the next chunk', async () => {
    const splitter = createLineSplitter()
    const writer = splitter.writable.getWriter()
    const reader = splitter.readable.getReader()
    void writer.write('data: x\r')
    expect(await reader.read()).toEqual({ done: false, value: 'data: x' })
    void writer.close()
  })

  it('joins a line split across chunks', async () => {
    expect(await lines(['da', 'ta: h', 'i\n'])).toEqual(['data: hi'])
  })

  it('drops a last line with no ending', async () => {
    expect(await lines(['a\nunfinished'])).toEqual(['a'])
  })
})

import { describe, expect, it } from 'vitest'
import { bytesOf, collect, splitAt, streamOf } from './test-helpers.ts'
import { createUtf8DecoderStream } from './utf8-decoder-stream.ts'

async function decode(pieces: Uint8Array[]): Promise<string> {
  return (await collect(streamOf(pieces).pipeThrough(createUtf8DecoderStream()))).join('')
}

describe('createUtf8DecoderStream', () => {
  it('holds a character split across chunks until it is whole', async () => {
    const bytes = bytesOf('é👋世')
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await decode(splitAt(bytes, [cut]))).toBe('é👋世')
    }
    expect(await decode(splitAt(bytes, [1, 2, 3, 4, 5, 6, 7, 8]))).toBe('é👋世')
  })

  it('drops a leading BOM and replaces a truncated character at the end', async () => {
    expect(await decode([new Uint8Array([0xef, 0xbb, 0xbf]), bytesOf('a')])).toBe('a')
    expect(await decode([bytesOf('a'), new Uint8Array([0xf0, 0x9f])])).toBe('a\uFFFD')
  })
})

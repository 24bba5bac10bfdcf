import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import llamaStream from './fixtures/llama-cpp-stream.sse?raw'
import { parseSseText, sseEvents } from './sse-decoder.ts'
import type { SseEvent } from './sse-event-parser.ts'
import { bytesOf, collect, splitAt, streamOf } from './test-helpers.ts'

// Spec corners a recorded stream lacks: named events, ids, retry, multi-line and empty data,
// a field without a colon, comments, an unfinished last event.
const specStream =
  ': opening comment\nretry: 2500\nid: 1\nevent: note\ndata: first line\ndata:second line\ndata\n\n' +
  'data: ünïcødé ✓ 🎉\nid: 2\n\n' +
  'event: error\ndata: {"error":{"message":"boom","type":"server_error","code":"internal","param":null}}\n\n' +
  'data: never finished'

const endings = { LF: '\n', CRLF: '\r\n', CR: '\r' } as const

function withEndings(text: string, ending: string): string {
  return text.replace(/\n/g, ending)
}

function decode(pieces: Uint8Array[]): Promise<SseEvent[]> {
  return collect(sseEvents(streamOf(pieces)))
}

/** Offsets that cut a multi-byte character, or fall between a CR and its LF. */
function awkwardCuts(bytes: Uint8Array): number[] {
  const cuts: number[] = []
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] as number
    if ((byte & 0xc0) === 0x80 || (bytes[i - 1] === 13 && byte === 10)) cuts.push(i)
  }
  return cuts
}

describe('sseEvents', () => {
  it('decodes the spec corners', async () => {
    expect(await decode([bytesOf(specStream)])).toEqual([
      { event: 'note', data: 'first line\nsecond line\n', id: '1', retry: 2500 },
      { event: 'message', data: 'ünïcødé ✓ 🎉', id: '2', retry: 2500 },
      { event: 'error', data: '{"error":{"message":"boom","type":"server_error","code":"internal","param":null}}', id: '2', retry: 2500 },
    ])
  })

  it('decodes the recorded llama.cpp stream, skipping the ping', async () => {
    const events = await decode([bytesOf(llamaStream)])
    expect(events).toHaveLength(7)
    expect(events.every((event) => event.event === 'message')).toBe(true)
    expect(events.at(-1)?.data).toBe('[DONE]')
    expect(events.map((event) => event.data).join('')).toContain('"content":" 👋"')
  })

  for (const [name, text] of [['recorded llama.cpp', llamaStream], ['spec corners', specStream]] as const) {
    it(`decodes the ${name} stream the same for any split and any line ending`, async () => {
      const reference = await decode([bytesOf(text)])
      for (const [ending, separator] of Object.entries(endings)) {
        const bytes = bytesOf(withEndings(text, separator))
        const awkward = awkwardCuts(bytes)
        expect(awkward.length, ending).toBeGreaterThan(0)
        expect(await decode([bytes]), ending).toEqual(reference)
        const cuts = fc.array(fc.oneof(fc.integer({ min: 1, max: bytes.length - 1 }), fc.constantFrom(...awkward)), { maxLength: 60 })
        await fc.assert(
          fc.asyncProperty(cuts, async (points) => {
            expect(await decode(splitAt(bytes, points))).toEqual(reference)
          }),
          { numRuns: 1000 },
        )
      }
    })
  }

  it('decodes a stream delivered one byte at a time', async () => {
    for (const separator of Object.values(endings)) {
      const bytes = bytesOf(withEndings(specStream, separator))
      const everyByte = Array.from({ length: bytes.length }, (_, i) => i)
      expect(await decode(splitAt(bytes, everyByte))).toEqual(await decode([bytesOf(specStream)]))
    }
  })
})

describe('parseSseText', () => {
  it('reads events cut on their boundaries by the same rules as the stream decoder', () => {
    expect(parseSseText('event: error\r\ndata: {"a":\r\ndata: 1}\r\n\r\n')).toEqual([{ event: 'error', data: '{"a":\n1}' }])
    expect(parseSseText(': ping\n\ndata:[DONE]\n\n')).toEqual([{ event: 'message', data: '[DONE]' }])
    expect(parseSseText('data: unfinished\n')).toEqual([])
  })
})

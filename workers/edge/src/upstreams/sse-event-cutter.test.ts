import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SseEventCutter } from './sse-event-cutter.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function eventsOf(chunks: string[]): string[] {
  const cutter = new SseEventCutter()
  const events: string[] = []
  let pending = ''
  for (const chunk of chunks) {
    const bytes = encoder.encode(chunk)
    let start = 0
    for (const end of cutter.cut(bytes)) {
      events.push(pending + decoder.decode(bytes.subarray(start, end)))
      pending = ''
      start = end
    }
    pending += decoder.decode(bytes.subarray(start))
  }
  return events
}

describe('SseEventCutter', () => {
  it('cuts after each blank line, whatever the line endings', () => {
    expect(eventsOf(['data: a\n\ndata: b\n\n'])).toEqual(['data: a\n\n', 'data: b\n\n'])
    expect(eventsOf(['event: error\r\ndata: x\r\n\r\n: ping\r\r'])).toEqual(['event: error\r\ndata: x\r\n\r\n', ': ping\r\r'])
    expect(eventsOf(['data: a\n', '\ndata: b\n'])).toEqual(['data: a\n\n'])
    expect(eventsOf(['data: a\r\n\r', '\ndata: b\n\n'])).toEqual(['data: a\r\n\r', '\ndata: b\n\n'])
  })

  it('finds the same events under any split of the bytes', () => {
    const text = 'data: {"a":1}\n\n: ping\n\nevent: error\r\ndata: {"error":{}}\r\n\r\ndata: [DONE]\n\n'
    // A CRLF split between chunks leaves its LF at the start of the next event: still one line ending to a decoder.
    const normal = (events: string[]) => events.map((e) => e.replaceAll('\r\n', '\n').replaceAll('\r', '\n').replace(/^\n/, '')).join('|')
    const whole = normal(eventsOf([text]))
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), text.length]
        const chunks = points.slice(1).map((end, i) => text.slice(points[i], end))
        const events = eventsOf(chunks)
        expect(events.join('')).toBe(text)
        expect(normal(events)).toBe(whole)
      }),
    )
  })
})

import { describe, expect, it } from 'vitest'
import { createEmitter } from './events.ts'

describe('createEmitter', () => {
  it('delivers to every listener until it unsubscribes', () => {
    const events = createEmitter<{ ping: number }>()
    const seen: number[] = []
    const off = events.on('ping', (n) => seen.push(n))
    events.on('ping', (n) => seen.push(n * 10))
    events.emit('ping', 1)
    off()
    events.emit('ping', 2)
    expect(seen).toEqual([1, 10, 20])
  })
})

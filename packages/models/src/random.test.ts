import { describe, expect, it } from 'vitest'
import { seededRandom } from './random.ts'

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed).uniform)
    expect(draw(1)).toEqual(draw(1))
    expect(draw(1)).not.toEqual(draw(2))
  })

  it('draws near-normal values with the requested spread', () => {
    const random = seededRandom(7)
    const values = Array.from({ length: 20000 }, () => random.normal(0.02))
    const mean = values.reduce((a, b) => a + b) / values.length
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
    expect(Math.abs(mean)).toBeLessThan(0.001)
    expect(std).toBeCloseTo(0.02, 3)
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.02 * Math.sqrt(12))
  })
})

import { describe, expect, it } from 'vitest'
import { SPEED_MAX_AGE_MS, localSpeedKey, readLocalSpeeds, recordLocalSpeed } from './local-speed.ts'

// Node has no IndexedDB: the measurements live in memory, under the same rules.
describe('local speeds', () => {
  it('keeps the last measurement per model, variant and backend, and forgets it after a day', async () => {
    const key = localSpeedKey('grok-2-tiny', 'q8_0', 'wasm')
    expect(key).toBe('grok-2-tiny/q8_0/wasm')
    await recordLocalSpeed(key, { tokensPerSecond: 90, firstTokenMs: 2500, at: 1_000 })
    await recordLocalSpeed(key, { tokensPerSecond: 120, firstTokenMs: 40, at: 2_000 })
    await recordLocalSpeed(localSpeedKey('grok-2-tiny', 'q8_0', 'webgpu'), { tokensPerSecond: 400, firstTokenMs: 900, at: 2_000 })
    expect(await readLocalSpeeds({ now: 3_000 })).toEqual({
      'grok-2-tiny/q8_0/wasm': { tokensPerSecond: 120, firstTokenMs: 40, at: 2_000 },
      'grok-2-tiny/q8_0/webgpu': { tokensPerSecond: 400, firstTokenMs: 900, at: 2_000 },
    })
    expect(await readLocalSpeeds({ now: 2_000 + SPEED_MAX_AGE_MS })).toEqual({})
  })
})

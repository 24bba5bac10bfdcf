import { describe, expect, it } from 'vitest'
import { probeDevice } from './probe.ts'

describe('probeDevice', () => {
  it('reports Node as a runtime that cannot run the model locally', async () => {
    const device = await probeDevice()
    expect(device.canStartWorker).toBe(false)
    expect(device.webgpu).toBeNull()
    expect(device.online).toBe(true)
    // Node 20's V8 has neither JSPI nor 64-bit memories switched on.
    expect(device.jspi).toBe(false)
    expect(device.memory64).toBe(false)
  })
})

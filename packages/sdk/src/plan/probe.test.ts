import { describe, expect, it } from 'vitest'
import { probeDevice } from './probe.ts'

describe('probeDevice', () => {
  it('reports Node as a runtime that cannot run the model locally', async () => {
    const device = await probeDevice()
    expect(device.canStartWorker).toBe(false)
    expect(device.webgpu).toBeNull()
    expect(device.online).toBe(true)
    // Node 24's V8 (13.6) ships JSPI and 64-bit memories; Node 22's (12.4) has neither.
    const { versions } = (globalThis as unknown as { process: { versions: { node: string } } }).process
    const v8Ships = Number(versions.node.split('.')[0]) >= 24
    expect(device.jspi).toBe(v8Ships)
    expect(device.memory64).toBe(v8Ships)
  })
})

import { describe, expect, it } from 'vitest'
import { probeDevice } from './probe.ts'

describe('probeDevice', () => {
  it('reports Node as a runtime that cannot run the model locally', async () => {
    const device = await probeDevice()
    expect(device.canStartWorker).toBe(false)
    expect(device.webgpu).toBeNull()
    expect(device.online).toBe(true)
    // Measured: Node 24's V8 (13.6) ships JSPI, Node 22's (12.4) does not; both validate a
    // 64-bit memory (Node 22.23 and 24.21).
    const { versions } = (globalThis as unknown as { process: { versions: { node: string } } }).process
    expect(device.jspi).toBe(Number(versions.node.split('.')[0]) >= 24)
    expect(device.memory64).toBe(true)
  })
})

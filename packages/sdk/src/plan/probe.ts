import type { DeviceProfile, WebGpuProfile } from './device.ts'

// Just enough of the browser APIs the probe reads; each may be missing where it runs.
interface ProbeNavigator {
  gpu?: { requestAdapter(): Promise<ProbeAdapter | null> }
  deviceMemory?: number
  hardwareConcurrency?: number
  onLine?: boolean
  connection?: { saveData?: boolean }
  storage?: { estimate(): Promise<{ quota?: number; usage?: number }>; persisted?(): Promise<boolean> }
}
interface ProbeAdapter {
  features: { has(name: string): boolean }
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number }
  isFallbackAdapter?: boolean
  info?: { isFallbackAdapter?: boolean }
}

// The smallest module with a 64-bit memory: header, then a memory section (limits flag 0x04 = i64, min 1).
const MEMORY64_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x04, 0x01])

/**
 * Reads what this runtime offers. Never throws: whatever cannot be read is reported as absent.
 * `adapter: false` skips the WebGPU adapter request, the one slow part.
 */
export async function probeDevice({ adapter = true } = {}): Promise<DeviceProfile> {
  const nav = (globalThis as { navigator?: ProbeNavigator }).navigator
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly & { Suspending?: unknown } }).WebAssembly
  return {
    canStartWorker: typeof (globalThis as { Worker?: unknown }).Worker === 'function',
    webgpu: adapter ? await probeWebGpu(nav) : null,
    deviceMemoryGiB: typeof nav?.deviceMemory === 'number' ? nav.deviceMemory : null,
    cores: typeof nav?.hardwareConcurrency === 'number' ? nav.hardwareConcurrency : null,
    storage: await probeStorage(nav),
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    jspi: typeof wasm?.Suspending === 'function',
    memory64: safely(() => wasm?.validate(MEMORY64_MODULE) === true, false),
    online: nav?.onLine ?? true,
    saveData: nav?.connection?.saveData === true,
  }
}

async function probeWebGpu(nav: ProbeNavigator | undefined): Promise<WebGpuProfile | null> {
  try {
    const adapter = await nav?.gpu?.requestAdapter()
    if (!adapter) return null
    return {
      isFallbackAdapter: adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    }
  } catch {
    return null
  }
}

async function probeStorage(nav: ProbeNavigator | undefined): Promise<DeviceProfile['storage']> {
  try {
    if (!nav?.storage) return null
    const { quota = 0, usage = 0 } = await nav.storage.estimate()
    return { quotaBytes: quota, usageBytes: usage, persisted: (await nav.storage.persisted?.()) ?? false }
  } catch {
    return null
  }
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read()
  } catch {
    return fallback
  }
}

/** What the planner knows about the device it runs on; every field is what a probe could read. */
export interface DeviceProfile {
  /** Whether a Web Worker can be started here (false in Node and Cloudflare Workers). */
  canStartWorker: boolean
  webgpu: WebGpuProfile | null
  /** `navigator.deviceMemory` in GiB; browsers round down and cap it at 8. Null where unknown. */
  deviceMemoryGiB: number | null
  cores: number | null
  storage: { quotaBytes: number; usageBytes: number; persisted: boolean } | null
  crossOriginIsolated: boolean
  /** JavaScript Promise Integration and 64-bit memories: what wllama's wasm build needs. */
  jspi: boolean
  memory64: boolean
  online: boolean
  saveData: boolean
}

export interface WebGpuProfile {
  /** SwiftShader and other software adapters report themselves as fallback adapters. */
  isFallbackAdapter: boolean
  shaderF16: boolean
  maxBufferSize: number
  maxStorageBufferBindingSize: number
}

/** A runtime with no browser at all: Node, Cloudflare Workers. */
export const HEADLESS_DEVICE: DeviceProfile = {
  canStartWorker: false,
  webgpu: null,
  deviceMemoryGiB: null,
  cores: null,
  storage: null,
  crossOriginIsolated: false,
  jspi: false,
  memory64: false,
  online: true,
  saveData: false,
}

import { z } from 'zod'

export const webGpuProfileSchema = z.object({
  /** SwiftShader and other software adapters report themselves as fallback adapters. */
  isFallbackAdapter: z.boolean(),
  shaderF16: z.boolean(),
  maxBufferSize: z.number(),
  maxStorageBufferBindingSize: z.number(),
})

/** What the planner knows about the device it runs on; every field is what a probe could read. */
export const deviceProfileSchema = z.object({
  /** Whether a Web Worker can be started here (false in Node and Cloudflare Workers). */
  canStartWorker: z.boolean(),
  webgpu: webGpuProfileSchema.nullable(),
  /** `navigator.deviceMemory` in GiB; browsers round down and cap it at 8. Null where unknown. */
  deviceMemoryGiB: z.number().nullable(),
  cores: z.number().nullable(),
  storage: z.object({ quotaBytes: z.number(), usageBytes: z.number(), persisted: z.boolean() }).nullable(),
  crossOriginIsolated: z.boolean(),
  /** JavaScript Promise Integration and 64-bit memories: what wllama's wasm build needs. */
  jspi: z.boolean(),
  memory64: z.boolean(),
  online: z.boolean(),
  saveData: z.boolean(),
})

export type WebGpuProfile = z.infer<typeof webGpuProfileSchema>
export type DeviceProfile = z.infer<typeof deviceProfileSchema>

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

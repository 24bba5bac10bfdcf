import { TandemError } from '@tandem/protocol'

/**
 * Fails at once, with the reason, when WebGPU cannot run a build that needs `features`. What is
 * worth running (a software adapter is slow but works) is the planner's call, not the engine's.
 */
export async function checkWebGpu(features: readonly string[]): Promise<void> {
  const gpu = (navigator as WorkerNavigator & { gpu?: { requestAdapter(): Promise<{ features: ReadonlySet<string> } | null> } }).gpu
  if (!gpu) throw new TandemError('local_unavailable', 'WebGPU is not available in this browser')
  const adapter = await gpu.requestAdapter().catch(() => null)
  if (!adapter) throw new TandemError('local_unavailable', 'no WebGPU adapter: the GPU is blocklisted, disabled or absent')
  const missing = features.filter((feature) => !adapter.features.has(feature))
  if (missing.length > 0) throw new TandemError('local_unavailable', `the WebGPU adapter lacks ${missing.join(', ')}, which this model needs`)
}

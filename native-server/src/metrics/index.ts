export { createServerMetrics } from './metrics.ts'
export type { CancelReason, ServerMetrics } from './metrics.ts'
export { observeGeneration } from './observe-generation.ts'
export type { GenerationSummary } from './observe-generation.ts'

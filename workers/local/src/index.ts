export { createLocalRuntime } from './runtime.ts'
export { startLocalWorker } from './start-local-worker.ts'
export type { EngineInfo, EngineLoad, LocalEngine } from './engine.ts'

export { createLocalRuntime } from './runtime.ts'
export type { EngineInfo, EngineLoad, LocalEngine } from './engine.ts'

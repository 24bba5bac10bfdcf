export { createLocalTransport } from './local-transport.ts'
export { createModelCache } from './model-cache.ts'
export { createRuntimeHolder, startWorkerRuntime } from './worker-runtime.ts'

export type { LocalTransportOptions } from './local-transport.ts'
export type { ModelCache } from './model-cache.ts'
export type { RuntimeHolder, WorkerRuntime } from './worker-runtime.ts'

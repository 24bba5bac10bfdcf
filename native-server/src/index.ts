export { startNativeServer } from './server.ts'
export type { NativeServer, NativeServerOptions } from './server.ts'

export { createApp } from './app.ts'
export type { AppOptions } from './app.ts'

export { helpText, loadConfig, parseServerConfig, serverConfigSchema } from './config.ts'
export type { ServerConfig, ServerSettings } from './config.ts'

export { createEngine, TINY_MODEL_NAME } from './create-engine.ts'
export type { Engine, EngineStats, GenerationContext, ServedModel } from './engine.ts'
export { LlamaCppEngine } from './llama-cpp.ts'
export type { GpuOption, LlamaCppOptions } from './llama-cpp.ts'
export { UpstreamEngine } from './upstream.ts'
export type { UpstreamOptions } from './upstream.ts'

export { createServerMetrics } from './metrics.ts'
export type { ServerMetrics } from './metrics.ts'
export { createJsonLogger, silentLogger } from '@tandem/protocol'
export type { LogFields, Logger, LogLevel } from '@tandem/protocol'

export { startNativeServer } from './server.ts'
export type { NativeServer, NativeServerOptions } from './server.ts'

export { createApp } from './http/index.ts'
export type { AppOptions } from './http/index.ts'

export { helpText, loadConfig, parseServerConfig, serverConfigSchema } from './config.ts'
export type { ServerConfig, ServerSettings } from './config.ts'

export { createEngine, LlamaCppEngine, TINY_MODEL_NAME, UpstreamEngine } from './engines/index.ts'
export type { Engine, EngineStats, GenerationContext, GpuOption, LlamaCppOptions, ServedModel, UpstreamOptions } from './engines/index.ts'

export { createServerMetrics } from './metrics/index.ts'
export type { ServerMetrics } from './metrics/index.ts'
export { createJsonLogger, silentLogger } from '@tandem/protocol'
export type { LogFields, Logger, LogLevel } from '@tandem/protocol'

import { ensureTinyModel } from '@tandem/models/node'
import type { ServerConfig } from '../config.ts'
import type { Engine } from './engine.ts'
import { LlamaCppEngine } from './llama-cpp/index.ts'
import type { Logger } from '@tandem/protocol'
import { UpstreamEngine } from './upstream/index.ts'

/** The model served when none is named: the tiny Grok-2, built into models/ when missing. */
export const TINY_MODEL_NAME = 'grok-2-tiny'

type EngineFactory = (config: ServerConfig, logger: Logger) => Promise<Engine>

/** Every engine by its `--engine` name: a new backend is its file and one line here. */
const engines: Record<ServerConfig['engine'], EngineFactory> = {
  'llama-cpp': async (config, logger) => {
    const models =
      config.model.length > 0
        ? config.model.map(({ name, source }) => ({ name, path: source }))
        : [{ name: TINY_MODEL_NAME, path: (await ensureTinyModel({ onProgress: (p) => p.stage === 'building' && logger.info('building the tiny Grok-2') })).f16Path }]
    return new LlamaCppEngine({ ...config, models, logger })
  },
  upstream: async (config, logger) =>
    new UpstreamEngine({
      ...config,
      url: config.upstreamUrl!,
      models: config.model,
      command: config.upstreamCommand,
      readyTimeoutMs: config.upstreamReadyTimeoutMs,
      logger,
    }),
}

export function createEngine(config: ServerConfig, logger: Logger): Promise<Engine> {
  return engines[config.engine](config, logger)
}

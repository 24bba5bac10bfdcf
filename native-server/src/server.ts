import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createJsonLogger, TandemError, type Logger } from '@tandem/protocol'
import { createApp } from './http/index.ts'
import { parseServerConfig, type ServerConfig, type ServerSettings } from './config.ts'
import { createEngine, type Engine } from './engines/index.ts'
import { createServerMetrics, type ServerMetrics } from './metrics/index.ts'

export interface NativeServerOptions extends ServerSettings {
  /** An engine made elsewhere (an embedder's own backend); by default one is made from the settings. */
  engineInstance?: Engine
  logger?: Logger
  /** Called once the port is bound, before the model has loaded (`/healthz` answers from then on). */
  onListening?: (url: string) => void
}

export interface NativeServer {
  /** `http://host:port`, the port as bound. */
  readonly url: string
  readonly config: ServerConfig
  readonly engine: Engine
  readonly metrics: ServerMetrics
  /**
   * Refuses new and queued requests (503 with Retry-After), lets running ones finish for `graceMs`
   * (the `shutdownGraceMs` setting by default), then cuts the rest with an SSE `error` event, stops
   * listening, closes every connection and frees the engine.
   */
  shutdown(graceMs?: number): Promise<void>
  /** `shutdown(0)`. */
  close(): Promise<void>
}

const SHUTTING_DOWN = () => new TandemError('upstream_unavailable', 'the server is shutting down; retry elsewhere')

/** Starts the server and resolves once the engine is ready. Settings are checked as the CLI checks flags. */
export async function startNativeServer(options: NativeServerOptions = {}): Promise<NativeServer> {
  const { engineInstance, logger: givenLogger, onListening, ...input } = options
  const config = parseServerConfig(input)
  const logger = givenLogger ?? createJsonLogger({ level: config.logLevel })
  const engine = engineInstance ?? (await createEngine(config, logger))
  const metrics = createServerMetrics(engine)
  const cut = new AbortController()
  const shutdown = { draining: false, cut: cut.signal }
  const app = createApp({ ...config, engine, metrics, logger, shutdown })

  const server = await listen(app.fetch, config.host, config.port)
  const { port } = server.address() as AddressInfo
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  logger.info('listening', { url, engine: engine.name })
  onListening?.(url)

  let closing: Promise<void> | undefined
  const stop = (graceMs: number) => (closing ??= drainAndClose(graceMs))

  async function drainAndClose(graceMs: number): Promise<void> {
    shutdown.draining = true
    engine.drain()
    // Still listening while running requests finish: a newcomer, on a new connection or a kept-alive
    // one, is answered 503 with Retry-After (and `connection: close`), not refused or reset mid-request.
    const busy = () => engine.stats().active > 0
    if (busy()) {
      logger.info('shutting down: letting running requests finish', { active: engine.stats().active, grace_ms: graceMs })
      await until(() => !busy(), graceMs)
    }
    if (busy()) {
      logger.warn('shutting down: cutting running requests', { active: engine.stats().active })
      cut.abort(SHUTTING_DOWN())
      await until(() => !busy(), 5_000)
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    // Streams that just ended still have bytes on their way out: give them a moment, then close what is left.
    await Promise.race([closed, delay(1_000)])
    server.closeAllConnections()
    await closed
    await engine.close()
    logger.info('stopped')
  }

  try {
    await engine.load()
  } catch (error) {
    await stop(0)
    throw error
  }
  logger.info('ready', { url, models: engine.models().map((m) => m.id) })

  return {
    url,
    config,
    engine,
    metrics,
    shutdown: (graceMs = config.shutdownGraceMs) => stop(graceMs),
    close: () => stop(0),
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }) as Server
    server.once('listening', () => resolve(server))
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new TandemError('internal', `cannot listen on ${hostname}:${port}: ${error.code ?? error.message}`, { cause: error }))
    })
  })
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!done() && performance.now() < deadline) await delay(Math.min(25, Math.max(1, deadline - performance.now())))
}

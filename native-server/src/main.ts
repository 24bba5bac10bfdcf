#!/usr/bin/env node
// tandem-native: flags and environment in, a running server out; SIGTERM or SIGINT stops it cleanly.
import { createJsonLogger, TandemError } from '@tandem/protocol'
import { helpText, loadConfig } from './config.ts'

let loaded: ReturnType<typeof loadConfig>
try {
  loaded = loadConfig(process.argv.slice(2), process.env)
} catch (error) {
  process.stderr.write(`tandem-native: ${(error as Error).message}\n`)
  process.exit(2)
}
if (loaded.help) {
  process.stdout.write(helpText() + '\n')
  process.exit(0)
}

const { config } = loaded
const logger = createJsonLogger({ level: config.logLevel })
let stopping = false

try {
  // Loaded only now, so a bad flag or --help answers without loading llama.cpp.
  const { startNativeServer } = await import('./server.ts')
  const server = await startNativeServer({ ...config, logger })
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal })
      process.exit(1)
    }
    stopping = true
    logger.info('stopping', { signal })
    // A bound on the whole shutdown, whatever hangs: grace, then the cut streams' last words.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting')
      process.exit(1)
    }, config.shutdownGraceMs + 15_000).unref()
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
} catch (error) {
  logger.error('could not start', { error })
  process.stderr.write(`tandem-native: ${TandemError.isInstance(error) ? error.message : String(error)}\n`)
  process.exit(1)
}

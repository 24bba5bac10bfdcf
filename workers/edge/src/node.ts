// The Node entry: the same app on @hono/node-server, for running everything in one box.
// `node --conditions=@tandem/source workers/edge/src/node.ts` (settings from the environment, as in wrangler.toml):
// Node strips the types itself, with no transform that wraps each function as tsx does.
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import type { ExecutionContext } from 'hono'
import { createHttpFetch } from './adapter/node/http-fetch.ts'
import { parseGatewayConfig } from './config/index.ts'
import { gatewayForEnv } from './gateway-for-env.ts'
import type { Logger } from '@tandem/protocol'
import { MemoryRateLimiter } from './limits/index.ts'

export interface StartGatewayOptions {
  /** The settings, by their wrangler names; defaults to process.env. */
  readonly env?: Record<string, unknown>
  readonly hostname?: string
  /** 0 picks a free port. */
  readonly port?: number
  readonly log?: Logger
}

export interface RunningGateway {
  readonly url: string
  close(): Promise<void>
}

/** Background work just runs on in Node; it only has to not crash the process. */
const executionContext: ExecutionContext = {
  waitUntil(promise) {
    promise.catch(() => undefined)
  },
  passThroughOnException() {},
  props: {},
}

/** The gateway in this process: rate limits in memory (exact for one process), upstreams over node:http. */
export async function startGateway({ env = process.env, hostname = '127.0.0.1', port = 8787, log }: StartGatewayOptions = {}): Promise<RunningGateway> {
  const limiter = new MemoryRateLimiter()
  const app = gatewayForEnv({ limiter: () => limiter, fetch: createHttpFetch(), log })(env)
  const server = serve({ fetch: (request) => app.fetch(request, undefined, executionContext), hostname, port })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://${hostname}:${address.port}`,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
    },
  }
}

async function main(): Promise<void> {
  // Here a bad configuration stops the start, louder still than failing the first request.
  const config = parseGatewayConfig(process.env)
  if (!config.ok) {
    console.error(config.error.message)
    process.exit(1)
  }
  const gateway = await startGateway({ hostname: process.env.EDGE_HOST || undefined, port: Number(process.env.EDGE_PORT || 8787) })
  console.error(`tandem edge gateway listening on ${gateway.url}`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void gateway.close().then(() => process.exit(0)))
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()

// Serves the built demo with the static server (and /models/, /embed/ beside it), plus `/tandem.json`: the stack's settings, which the
// page reads at start.
import { startIsolatedServer, type IsolatedServer, type IsolatedServerOptions } from './static-server.ts'

export interface DemoSettings {
  gateway: string
  model: string
  publishableKey: string
}

export async function startDemoServer(options: IsolatedServerOptions & { settings: DemoSettings }): Promise<IsolatedServer> {
  const { settings, ...served } = options
  const server = await startIsolatedServer(served)
  server.put('/tandem.json', JSON.stringify(settings))
  return server
}

// Serves the built demo with the static server, plus `/tandem.json`: the stack's settings, which the
// page reads at start.
import { startIsolatedServer, type IsolatedServer } from './static-server.ts'

export interface DemoSettings {
  gateway: string
  model: string
  publishableKey: string
}

export async function startDemoServer(options: { root: string; models: string; settings: DemoSettings; host?: string; port?: number }): Promise<IsolatedServer> {
  const { settings, ...served } = options
  const server = await startIsolatedServer(served)
  server.put('/tandem.json', JSON.stringify(settings))
  return server
}

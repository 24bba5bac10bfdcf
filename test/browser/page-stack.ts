// What a browser test of a page needs: the page (a folder with an index.html) built with the SDK and the worker and
// served cross-origin isolated with the tiny Grok-2's shards, a native-server, and the gateway in workerd allowing
// the page's origin with a publishable key. Everything on loopback.
import { rm } from 'node:fs/promises'
import { ensureTinyModel } from '@tandem/models/node'
import { buildPage, startIsolatedServer, type IsolatedServer } from '../../scripts/browser-harness/index.ts'
import { closeAll, gatewayEnv, sha256, startUpstream, startWorkerdGateway, type Gateway, type Upstream } from '../edge/harness.ts'

export interface PageStack {
  readonly site: IsolatedServer
  readonly upstream: Upstream
  readonly gateway: Gateway
  close(): Promise<void>
}

/** Starts it all for the page in `pageDir` and the publishable `key`; on any failure closes what did start and throws. */
export async function startPageStack(pageDir: string, key: string): Promise<PageStack> {
  const model = await ensureTinyModel()
  const built = await buildPage(pageDir)
  let site: IsolatedServer | undefined
  let upstream: Upstream | undefined
  let gateway: Gateway | undefined
  const close = async () => {
    await closeAll(gateway, upstream?.server, site)
    await rm(built, { recursive: true, force: true })
  }
  try {
    site = await startIsolatedServer({ root: built, models: model.dir })
    upstream = await startUpstream()
    gateway = await startWorkerdGateway(
      gatewayEnv([upstream.server.url], { EDGE_CORS_ORIGINS: JSON.stringify([site.url]), EDGE_PUBLISHABLE_KEYS: JSON.stringify([{ id: 'page', sha256: sha256(key), origins: [site.url], limits: { rpm: 100_000, tpm: 1e9 } }]) }),
    )
  } catch (error) {
    await close()
    throw error
  }
  return { site, upstream, gateway, close }
}

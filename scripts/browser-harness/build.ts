import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { clientFromSource } from '../source-condition.ts'

/** Bundles a test page (the `index.html` in `root`), the SDK and the worker (wllama's wasm emitted beside them) into a fresh folder. */
export async function buildPage(root: string): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'tandem-page-'))
  await build({
    root,
    configFile: false,
    resolve: clientFromSource,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'esnext', minify: false, reportCompressedSize: false, chunkSizeWarningLimit: 100_000 },
    worker: { format: 'es' },
  })
  return outDir
}

/** The harness page. */
export function buildHarness(): Promise<string> {
  return buildPage(fileURLToPath(new URL('.', import.meta.url)))
}

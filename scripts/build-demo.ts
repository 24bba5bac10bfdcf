// Builds the demo (demo/): the page, <tandem-chat>, the SDK, the local worker with wllama's wasm,
// and the service worker, into demo/dist (or another folder, for tests).
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { clientFromSource } from './source-condition.ts'

export const DEMO_ROOT = fileURLToPath(new URL('../demo/', import.meta.url))
export const DEMO_DIST = fileURLToPath(new URL('../demo/dist/', import.meta.url))

export async function buildDemo(outDir: string = DEMO_DIST): Promise<string> {
  await build({
    root: DEMO_ROOT,
    configFile: false,
    resolve: clientFromSource,
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'esnext',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 100_000,
      // The service worker keeps a stable name at the root, so it controls the whole app.
      rollupOptions: { input: { index: `${DEMO_ROOT}index.html`, sw: `${DEMO_ROOT}src/sw.ts` }, output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') } },
    },
    worker: { format: 'es' },
  })
  return outDir
}

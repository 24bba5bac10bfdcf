import { defineConfig } from 'tsdown'
import { assetUrls, base } from '../../tsdown.base.ts'

// worker: the Web Worker's module; index: what a page imports (startLocalWorker), which finds worker.js beside itself.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/worker.ts'], plugins: [assetUrls()] })

import { configDefaults, defineConfig } from 'vitest/config'
import { clientFromSource, serverFromSource } from './scripts/source-condition.ts'

export default defineConfig({
  resolve: clientFromSource,
  ssr: { resolve: serverFromSource },
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      // Beside each module; `vitest run --project unit` is CI's short pass on Node 22.
      { extends: true, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'workers/*/src/**/*.test.ts', 'native-server/src/**/*.test.ts'] } },
      // Across packages and processes: real servers, workerd, Chromium.
      { extends: true, test: { name: 'cross', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/packed/**'] } },
      // What users get: the packed tarballs, installed into folders outside the workspace (built and packed once per run).
      { extends: true, test: { name: 'packed', include: ['test/packed/**/*.test.ts'], globalSetup: ['test/packed/global-setup.ts'] } },
    ],
  },
})

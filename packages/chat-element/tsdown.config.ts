import { defineConfig, type UserConfig } from 'tsdown'
import { SOURCE_CONDITION } from '../../scripts/source-condition.ts'
import { assetUrls, base } from '../../tsdown.base.ts'

/** For pages without a bundler: everything bundled, minified, for browsers. */
const standalone = {
  ...base,
  platform: 'browser',
  dts: false,
  minify: true,
  deps: { alwaysBundle: () => true, onlyBundle: false },
  // The workspace's packages from their sources, as everything in the workspace runs: their dist/ may be mid-build.
  inputOptions: { resolve: { conditionNames: [SOURCE_CONDITION, 'browser', 'import', 'module', 'default'] } },
} satisfies UserConfig

export default defineConfig([
  // For bundlers: `import '@tandem/chat-element'`, its dependencies left to the app.
  { ...base, entry: ['src/index.ts'], clean: ['dist/index.*'] },
  // The drop-in script: one ES module, nothing else to fetch until the local route is taken.
  // (Its .d.ts says only that it exports nothing: importing it defines the element.)
  { ...standalone, entry: { 'tandem-chat': 'src/drop-in.ts' }, dts: true, clean: ['dist/tandem-chat.*'] },
  // The local route's worker beside it; each engine is a chunk fetched on first use.
  {
    ...standalone,
    entry: { 'tandem-worker': '../../workers/local/src/worker.ts' },
    clean: ['dist/tandem-worker.*', 'dist/*.wasm', 'dist/chunks'],
    sourcemap: false, // web-llm's map alone is 7.5 MB; the library build (index.js) keeps the maps

    plugins: [assetUrls()],
    outputOptions: { chunkFileNames: 'chunks/[name].js' },
  },
])

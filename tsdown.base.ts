// What every package's build shares: ESM with bundled .d.ts and source maps, for browsers, Workers and Node alike.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename } from 'node:path'
import type { Rolldown, UserConfig } from 'tsdown'

export const base = {
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  // Rolldown keeps the `.js` of `dist/`; the hashes of shared chunks stay out of file names a page links to.
  hash: false,
  fixedExtension: false,
  checks: { pluginTimings: false },
  // Runtime built-ins stay imports: only the entries for that runtime use them (lint keeps node: out of the rest).
  deps: { neverBundle: [/^node:/, /^cloudflare:/] },
} satisfies UserConfig

/**
 * `import url from 'x.wasm?url'` (Vite's asset import, which the sources use) as the build's own: the file is copied
 * into `dist/` and its URL is found from the importing module's at run time, so it works wherever `dist/` is served.
 */
export function assetUrls(): Rolldown.Plugin {
  return {
    name: 'tandem:asset-urls',
    resolveId: {
      order: 'pre', // before the rule that keeps dependencies external: the file is copied, not imported
      handler(source, importer) {
        if (!source.endsWith('?url') || importer === undefined) return null
        return `${createRequire(importer).resolve(source.slice(0, -'?url'.length))}?url`
      },
    },
    async load(id) {
      if (!id.endsWith('?url')) return null
      const file = id.slice(0, -'?url'.length)
      const reference = this.emitFile({ type: 'asset', fileName: basename(file), source: await readFile(file) })
      // The bundler writes the asset's URL relative to whichever chunk this code ends up in.
      return `export default import.meta.ROLLUP_FILE_URL_${reference}`
    },
  }
}

// Every package as npm would publish it: publint and "are the types wrong" find nothing, what each ships is dist/ (no
// sources, no tests), and the drop-in script keeps its size budget.
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { beforeAll, describe, expect, it } from 'vitest'
import { root } from '../../scripts/processes.ts'
import { fileInTarball, filesInTarball, tarballs } from './tarballs.ts'

const run = promisify(execFile)
const PACKAGES = ['@tandem/protocol', '@tandem/models', '@tandem/sdk', '@tandem/local-worker', '@tandem/chat-element', '@tandem/edge', '@tandem/native-server', '@tandem/ai-sdk']
const DROP_IN_BUDGET_GZIP = 60 * 1024

let packed: Map<string, string>
beforeAll(async () => {
  packed = await tarballs()
})

describe('the packed packages', () => {
  it('are one tarball per package', () => {
    expect([...packed.keys()].sort()).toEqual([...PACKAGES].sort())
  })

  it.each(PACKAGES)('%s passes publint with nothing to say', async (name) => {
    const tarball = (await readFile(packed.get(name)!)).buffer
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true })
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([])
  })

  it.each(PACKAGES)('%s has the types it says it has, for Node (ESM) and bundlers (attw)', async (name) => {
    const attw = root('node_modules/.bin/attw')
    const result = await run(attw, [packed.get(name)!, '--profile', 'esm-only', '--format', 'ascii', '--no-color'], { maxBuffer: 16 << 20 }).catch((failure: { stdout: string }) => failure)
    expect('code' in result ? result.stdout : '').toBe('')
  })

  it.each(PACKAGES)('%s ships its build, its README and package.json: no sources, no tests', async (name) => {
    const files = await filesInTarball(packed.get(name)!)
    expect(files).toContain('package.json')
    expect(files).toContain('README.md')
    expect(files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md'].includes(file))).toEqual([])
    expect(files.filter((file) => /\.test\.|\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([])
  })

  it('give their sizes, and the drop-in script stays within 60 KB gzipped', async () => {
    const chatElement = packed.get('@tandem/chat-element')!
    const dropIn = await fileInTarball(chatElement, 'dist/tandem-chat.js')
    const sizes = await Promise.all(PACKAGES.map(async (name) => `${name} ${((await stat(packed.get(name)!)).size / 1024).toFixed(1)} KB`))
    console.log(`tarballs: ${sizes.join(', ')}; drop-in tandem-chat.js ${(dropIn.length / 1024).toFixed(1)} KB, ${(gzipSync(dropIn, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`)
    expect(gzipSync(dropIn, { level: 9 }).length).toBeLessThanOrEqual(DROP_IN_BUDGET_GZIP)
    // One module: it imports nothing (the worker and wasm are found from its URL, and only on the local route).
    expect(dropIn.toString()).not.toMatch(/(^|[;}\n])\s*import\s*[\w{*"'`]|\bimport\(/)
  })
})

// Once per run of the `packed` project: build every package and pack it, as `npm publish` would, into a folder outside
// the repository. Its tests install these tarballs into fresh folders and never look at the workspace again.
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { root } from '../../scripts/processes.ts'

const run = promisify(execFile)

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding one `.tgz` per package. */
    tarballs: string
  }
}

export default async function packAll(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-tarballs-'))
  await run('npm', ['run', 'build', '--silent'], { cwd: root(''), maxBuffer: 64 << 20 })
  await run('npm', ['pack', '--workspaces', '--pack-destination', dir, '--silent'], { cwd: root(''), maxBuffer: 64 << 20 })
  if ((await readdir(dir)).filter((f) => f.endsWith('.tgz')).length === 0) throw new Error(`npm pack wrote nothing into ${dir}`)
  project.provide('tarballs', dir)
  return () => rm(dir, { recursive: true, force: true })
}

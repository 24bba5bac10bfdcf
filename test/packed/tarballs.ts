// The packed tarballs the `packed` project's global setup wrote: where they are, and their files.
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { inject } from 'vitest'

const run = promisify(execFile)

/** Every package's tarball, by package name (`@tandem/sdk` → its `.tgz` path). */
export async function tarballs(): Promise<Map<string, string>> {
  const dir = inject('tarballs')
  const files = (await readdir(dir)).filter((file) => file.endsWith('.tgz'))
  return new Map(files.map((file) => [`@tandem/${file.replace(/^tandem-/, '').replace(/-\d+\.\d+\.\d+\.tgz$/, '')}`, join(dir, file)]))
}

/** One file of a tarball, as bytes. */
export async function fileInTarball(tarball: string, path: string): Promise<Buffer> {
  const { stdout } = await run('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'buffer', maxBuffer: 64 << 20 })
  return stdout
}

/** The paths in a tarball, without the `package/` prefix npm gives them. */
export async function filesInTarball(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 << 20 })
  return stdout.split('\n').filter(Boolean).map((path) => path.replace(/^package\//, ''))
}

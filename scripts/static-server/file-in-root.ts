import { realpath, stat } from 'node:fs/promises'
import { resolve, sep } from 'node:path'

export interface FileInRoot {
  /** Its real path: no symlink left in it. */
  readonly path: string
  readonly size: number
  readonly modified: Date
}

const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

/**
 * The regular file at `relative` (a decoded URL path) below `root`, or undefined when there is
 * none. Symlinks are followed only while they stay inside the root: one that points out of it is
 * as good as absent, so a link in a served folder cannot publish the rest of the disk.
 */
export async function fileInRoot(root: string, relative: string): Promise<FileInRoot | undefined> {
  const realRoot = await realpath(root).catch(() => undefined)
  if (realRoot === undefined) return undefined
  const candidate = resolve(realRoot, `.${sep}${relative}`)
  if (!inside(realRoot, candidate)) return undefined
  const real = await realpath(candidate).catch(() => undefined)
  if (real === undefined || !inside(realRoot, real)) return undefined
  const info = await stat(real).catch(() => undefined)
  return info?.isFile() ? { path: real, size: info.size, modified: info.mtime } : undefined
}

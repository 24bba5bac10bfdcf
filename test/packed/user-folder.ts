// A folder of a user's own, outside the repository: a starter copied there, the packed tarballs installed with npm,
// commands run with this Node first on PATH and nothing else of the repository's (no node_modules/.bin, no npm_*
// variables of the npm running the tests, no NODE_OPTIONS, no source condition).
import { execFile, spawn } from 'node:child_process'
import { cp, mkdtemp, realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, sep } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { root } from '../../scripts/processes.ts'

const execFileAsync = promisify(execFile)
export const REPOSITORY = root('').replace(/\/$/, '')

export interface UserFolder {
  readonly dir: string
  /** Runs a command there to its end; rejects with its output's tail when it fails. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string }>
  /** Starts a long-running command there; resolves once a line of its output gives `urlFrom` a URL. */
  start(command: string, args: string[], urlFrom: (line: string) => string | undefined, env?: Record<string, string>): Promise<Started>
  /** Where each package resolves from this folder, as Node resolves it (real paths). */
  resolve(specifiers: string[]): Promise<string[]>
  remove(): Promise<void>
}

export interface Started {
  readonly url: string
  stop(): Promise<void>
}

/** The environment of a user's shell on this machine, with this Node (the one running the tests) first on PATH. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NODE_OPTIONS$|INIT_CWD$|VITEST|TANDEM_)/.test(name)))
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '' && !dir.startsWith(REPOSITORY + sep))
  return { ...env, PATH: [dirname(process.execPath), ...path].join(delimiter), NO_COLOR: '1', ...extra }
}

/** `starters/<name>` copied into a new folder under the system's temp folder, with `tarballs` and its own dependencies installed. */
export async function userFolder(starter: string, tarballs: string[]): Promise<UserFolder> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), `tandem-${starter}-`)))
  if (dir.startsWith(REPOSITORY + sep)) throw new Error(`${dir} is inside the repository`)
  await cp(root(`starters/${starter}`), dir, { recursive: true, filter: (path) => !/[/\\](node_modules|dist)([/\\]|$)/.test(path) })
  const folder = makeFolder(dir)
  await folder.run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs])
  return folder
}

function makeFolder(dir: string): UserFolder {
  return {
    dir,
    async run(command, args, env = {}) {
      try {
        return await execFileAsync(command, args, { cwd: dir, env: userEnv(env), maxBuffer: 64 << 20 })
      } catch (failure) {
        const { stdout = '', stderr = '' } = failure as { stdout?: string; stderr?: string }
        throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n')}`, { cause: failure })
      }
    },
    start: (command, args, urlFrom, env = {}) => startIn(dir, command, args, urlFrom, env),
    async resolve(specifiers) {
      const script = 'for (const s of JSON.parse(process.argv[1])) console.log(import.meta.resolve(s))'
      const { stdout } = await this.run(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(specifiers)])
      return Promise.all(stdout.trim().split('\n').map((url) => realpath(fileURLToPath(url))))
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

function startIn(dir: string, command: string, args: string[], urlFrom: (line: string) => string | undefined, env: Record<string, string>): Promise<Started> {
  // A process group of its own, so stopping it stops what it started (wrangler's workerd).
  const child = spawn(command, args, { cwd: dir, env: userEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      return // already gone
    }
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
  }
  const tail: string[] = []
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => fail('not ready in 90 s'), 90_000)
    function fail(why: string) {
      clearTimeout(timer)
      void stop()
      reject(new Error([`${command} ${args.join(' ')} in ${dir}: ${why}`, ...tail].join('\n')))
    }
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (tail.push(line) > 30) tail.shift()
        const url = urlFrom(line)
        if (url === undefined) return
        clearTimeout(timer)
        resolve({ url, stop })
      })
    }
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`))
  })
}

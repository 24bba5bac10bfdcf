// The parts under test, each in its own process, as they would run on separate machines.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

export interface Child {
  readonly url: string
  readonly child: ChildProcess
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>
}

/** A Node child process that is ready when one of its output lines yields a URL. */
export async function startChild(args: string[], env: Record<string, string>, urlFrom: (line: string) => string | undefined): Promise<Child> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready in 60 s`)), 60_000)
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)))
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const found = urlFrom(line)
        if (found !== undefined) {
          clearTimeout(timer)
          resolve(found)
        }
      })
    }
  }).catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
  return { url, child, stop: () => stop(child) }
}

/** The real tandem-native binary on one llama.cpp thread (CPU), with these flags besides. */
export function startTandemNative(args: string[]): Promise<Child> {
  return startChild(
    [root('native-server/bin/tandem-native.js'), '--port', '0', '--gpu', 'cpu', '--threads', '1', ...args],
    {},
    (line) => (/"msg":"ready"/.test(line) ? (JSON.parse(line) as { url: string }).url : undefined),
  )
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
  })
}

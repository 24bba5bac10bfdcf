// Node child processes for tests and benchmarks: one is ready when a line of its output names its
// URL, and tandem-native (native-server's CLI) is started the way they all run it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { SOURCE_CONDITION } from './source-condition.ts'

/** A path in the repository, from its root. */
export const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

/** Node flags that run the workspace's TypeScript as it is: packages resolve to their sources (the `@tandem/source` condition of their exports), tsx compiles. */
export const FROM_SOURCE = [`--conditions=${SOURCE_CONDITION}`, '--import', 'tsx']

/** native-server's CLI, from source: Node's arguments up to its own flags. */
export const TANDEM_NATIVE = [...FROM_SOURCE, root('native-server/src/main.ts')]

export type LineListener = (line: string, stream: 'stdout' | 'stderr') => void

export interface SpawnOptions {
  /** Variables over this process's own. */
  readonly env?: NodeJS.ProcessEnv
  /** `inherit` passes its stderr through to ours; by default stderr is read line by line, like stdout. */
  readonly stderr?: 'pipe' | 'inherit'
  /** Called with each line of its output, from the first. */
  readonly onLine?: LineListener
  /** In a process group of its own, so that stopping it reaches its children too (wrangler's workerd). */
  readonly group?: boolean
  /** Where it runs: the repository's root unless told. */
  readonly cwd?: string
}

export interface NodeProcess {
  readonly child: ChildProcess
  /** Its exit code once it has exited and its output is read; null when a signal ended it. */
  readonly exited: Promise<number | null>
  /** The first URL `urlFrom` finds in a line it writes from now on; rejects if it exits first or is not ready in `timeoutMs`. */
  ready(urlFrom: (line: string) => string | undefined, timeoutMs?: number): Promise<string>
  /** `signal`, then SIGKILL after `graceMs`; resolves once it has exited. Signals once: calling again waits for the same exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>
  /** SIGKILL, as when a machine dies; resolves once it has exited. Safe to call again. */
  kill(): Promise<void>
}

/** A process that said it is ready, at `url`. */
export interface Child extends NodeProcess {
  readonly url: string
}

export interface ChildOptions extends Omit<SpawnOptions, 'env'> {
  /** 60 s unless told. */
  readonly timeoutMs?: number
}

/** `node <args>`, in the repository's root unless told. */
export function spawnNode(args: string[], { env = {}, stderr = 'pipe', onLine, group = false, cwd = root('') }: SpawnOptions = {}): NodeProcess {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', stderr], detached: group })
  const listeners = new Set<LineListener>(onLine ? [onLine] : [])
  const tail: string[] = []
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = child[name]
    if (!stream) continue
    createInterface({ input: stream }).on('line', (line) => {
      if (tail.push(line) > 20) tail.shift()
      for (const listener of listeners) listener(line, name)
    })
  }
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const running = () => child.exitCode === null && child.signalCode === null
  const send = (signal: NodeJS.Signals) => {
    try {
      if (group) process.kill(-child.pid!, signal)
      else child.kill(signal)
    } catch {
      // already gone
    }
  }
  const failure = (why: string) => new Error([`node ${args.join(' ')}: ${why}`, ...tail].join('\n'))
  let stopping: Promise<void> | undefined

  return {
    child,
    exited,
    ready: (urlFrom, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        let waiting = true
        const settle = () => {
          waiting = false
          clearTimeout(timer)
          listeners.delete(watch)
        }
        const watch: LineListener = (line) => {
          const url = urlFrom(line)
          if (url === undefined) return
          settle()
          resolve(url)
        }
        const timer = setTimeout(() => {
          settle()
          reject(failure(`not ready in ${timeoutMs / 1000} s`))
        }, timeoutMs)
        listeners.add(watch)
        void exited.then((code) => {
          if (!waiting) return
          settle()
          reject(failure(`exited (${child.signalCode ?? code}) before it was ready`))
        })
      }),
    stop: (signal = 'SIGTERM', graceMs = 5_000) =>
      (stopping ??= (async () => {
        if (running()) {
          const timer = setTimeout(() => send('SIGKILL'), graceMs)
          send(signal)
          await exit
          clearTimeout(timer)
        }
        // A group may outlive its leader (a grandchild that ignored the signal).
        if (group) send('SIGKILL')
      })()),
    kill: () => {
      if (running() || group) send('SIGKILL')
      return exit
    },
  }
}

/** `node <args>` with `env` over ours, once a line of its output yields its URL; killed if it does not. */
export async function startChild(args: string[], env: Record<string, string>, urlFrom: (line: string) => string | undefined, options: ChildOptions = {}): Promise<Child> {
  const node = spawnNode(args, { ...options, env })
  try {
    return { ...node, url: await node.ready(urlFrom, options.timeoutMs) }
  } catch (error) {
    await node.kill()
    throw error
  }
}

export interface TandemNativeOptions extends ChildOptions {
  /** 0 (the default) for a free one; a given one to bring a server back where a stopped one was. */
  readonly port?: number
  /** Variables over ours (TANDEM_API_KEY: a key stays out of the process list). */
  readonly env?: Record<string, string>
}

/** The real tandem-native on one llama.cpp thread (CPU), with these flags besides, once it logs `ready`. */
export function startTandemNative(args: string[], { port = 0, env = {}, ...options }: TandemNativeOptions = {}): Promise<Child> {
  return startChild([...TANDEM_NATIVE, '--port', String(port), '--gpu', 'cpu', '--threads', '1', ...args], env, tandemNativeUrl, options)
}

/** The URL in tandem-native's `ready` log line; undefined for any other line. */
export function tandemNativeUrl(line: string): string | undefined {
  if (!line.includes('"ready"')) return undefined
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown }
    return entry.msg === 'ready' && typeof entry.url === 'string' ? entry.url : undefined
  } catch {
    return undefined
  }
}

// Child processes of `npm start`: each in a process group of its own, so stopping one reaches its
// children too (wrangler's workerd), and Ctrl-C reaches each once, through stopAll, not twice.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface Part {
  readonly name: string
  readonly child: ChildProcess
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>
}

export interface StartOptions {
  name: string
  command: string
  args: string[]
  env?: Record<string, string>
  /** Each stdout line; return a value to resolve `ready` with it. */
  onLine?: (line: string) => string | undefined
  readyTimeoutMs?: number
}

export function startPart({ name, command, args, env, onLine, readyTimeoutMs = 120_000 }: StartOptions): { part: Part; ready: Promise<string> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready in ${readyTimeoutMs / 1000} s`)), readyTimeoutMs)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code}`))
    })
    const onReady = (line: string) => {
      const value = onLine?.(line)
      if (value !== undefined) {
        clearTimeout(timer)
        resolve(value)
      }
    }
    createInterface({ input: child.stdout! }).on('line', onReady)
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (/error|warn/i.test(line) && !/Request\.cf|cf object/i.test(line)) console.error(`[${name}] ${line}`)
      onReady(line)
    })
  })
  ready.catch(() => {}) // handled by whoever awaits it; a part nobody waits for must not crash the script
  return { part: { name, child, exited }, ready }
}

/** Signals each process group, waits for clean exits, and kills what is left after `graceMs`. */
export async function stopAll(parts: readonly Part[], signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  const alive = parts.filter((p) => p.child.exitCode === null && p.child.signalCode === null)
  for (const part of alive) signalGroup(part, signal)
  const timer = setTimeout(() => alive.forEach((part) => signalGroup(part, 'SIGKILL')), graceMs)
  await Promise.all(alive.map((part) => part.exited))
  clearTimeout(timer)
  // A group may outlive its leader (a grandchild that ignored the signal): make sure it is gone.
  for (const part of parts) signalGroup(part, 'SIGKILL')
}

function signalGroup(part: Part, signal: NodeJS.Signals): void {
  if (part.child.pid === undefined) return
  try {
    process.kill(-part.child.pid, signal)
  } catch {
    // already gone
  }
}

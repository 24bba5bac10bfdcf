// Starts the real tandem-native binary as a child process and reads its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

export const BIN = fileURLToPath(new URL('../../native-server/bin/tandem-native.js', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Flags every test server needs on these shared 2-core machines. */
export const SMALL = ['--threads', '1', '--gpu', 'cpu', '--context-size', '256', '--log-level', 'info']

export interface NativeProcess {
  child: ChildProcess
  /** Every JSON line it logged so far. */
  logs: Array<Record<string, unknown>>
  stderr: () => string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** SIGKILL if still running; safe to call twice. */
  kill(): Promise<void>
}

export function spawnNative(args: string[], env: NodeJS.ProcessEnv = {}): NativeProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const logs: Array<Record<string, unknown>> = []
  let stderr = ''
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      logs.push({ msg: 'not json', line })
    }
  })
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

/** Waits for the `ready` line and returns the URL it names; fails with the process's output if it exits first. */
export async function readyUrl(native: NativeProcess, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ready = native.logs.find((line) => line.msg === 'ready')
    if (ready) return String(ready.url)
    if (native.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`tandem-native did not become ready (exit ${native.child.exitCode}):\n${native.stderr()}\n${JSON.stringify(native.logs)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A port free right now on loopback (for a child that must be told its port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

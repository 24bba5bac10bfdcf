// Starts the real tandem-native binary as a child process and reads its JSON log lines.
import { createServer } from 'node:net'
import { spawnNode, TANDEM_NATIVE, type NodeProcess } from '../../scripts/processes.ts'

/** Flags every test server needs on these shared 2-core machines. */
export const SMALL = ['--threads', '1', '--gpu', 'cpu', '--context-size', '256', '--log-level', 'info']

export interface NativeProcess extends NodeProcess {
  /** Every JSON line it logged so far. */
  readonly logs: Array<Record<string, unknown>>
  stderr(): string
}

/** tandem-native with exactly these flags, started or not: for `ready`, call `native.ready(tandemNativeUrl)` at once. */
export function spawnNative(args: string[], env: NodeJS.ProcessEnv = {}): NativeProcess {
  const logs: Array<Record<string, unknown>> = []
  let stderr = ''
  const native = spawnNode([...TANDEM_NATIVE, ...args], {
    env,
    onLine(line, stream) {
      if (stream === 'stderr') stderr += `${line}\n`
      else logs.push(parseLog(line))
    },
  })
  return { ...native, logs, stderr: () => stderr }
}

function parseLog(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return { msg: 'not json', line }
  }
}

/** Ports free right now on loopback, all different (for children that must be told their ports up front). */
export async function freePorts(count: number): Promise<number[]> {
  // Held open together: a port closed before the next is asked for can come back twice.
  const probes = Array.from({ length: count }, () => createServer())
  await Promise.all(probes.map((probe) => new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve))))
  const ports = probes.map((probe) => (probe.address() as { port: number }).port)
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))))
  return ports
}

export const freePort = async (): Promise<number> => (await freePorts(1))[0]!

// `npm start` stops every part when its own process is signalled: process managers, `timeout` and IDE
// stop buttons signal one PID, not the process group, and the parts run in groups of their own. The
// real stack starts (native-server, the gateway in wrangler/workerd, the demo server); one PID gets
// the signal; afterwards no process it had started is left and its ports are free.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { root } from '../../scripts/processes.ts'
import { descendants, type ProcessInfo } from '../faults/process-memory.ts'
import { freePorts } from '../native-server/native-process.ts'

const STARTED = 'Ctrl-C stops everything'

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

/** Running, as opposed to gone or a zombie waiting for a parent that no longer cares. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return ''
  }
}

/** `npm start` on free ports, once it says the stack is ready; its output so far for failure messages. */
async function startStack(): Promise<{ npm: ChildProcess; ports: number[]; output: string[] }> {
  const ports = await freePorts(3)
  const flags = ['--demo-port', String(ports[0]), '--gateway-port', String(ports[1]), '--native-port', String(ports[2])]
  const cli = process.env.npm_execpath
  const npm = cli ? spawn(process.execPath, [cli, 'start', '--', ...flags], { cwd: root(''), stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('npm', ['start', '--', ...flags], { cwd: root(''), stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [npm.stdout!, npm.stderr!])
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line)
        if (line.includes(STARTED)) resolve()
      })
    npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output.join('\n')}`)))
  })
  await ready
  return { npm, ports, output }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now()
  while (!done() && Date.now() - started < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 100))
  return Date.now() - started
}

describe('npm start stops every part when one PID is signalled', () => {
  it.each([
    ['SIGTERM', 'npm'],
    ['SIGTERM', 'start.ts'],
    ['SIGINT', 'start.ts'],
  ] as const)('%s to the %s process', async (signal, target) => {
    const { npm, ports, output } = await startStack()
    let started: ProcessInfo[] = []
    try {
      started = descendants(npm.pid!)
      // What there is to stop: native-server, wrangler and its workerd, besides npm's own chain.
      expect(started.filter((p) => p.name === 'workerd').length, output.join('\n')).toBeGreaterThan(0)
      expect(started.some((p) => commandLine(p.pid).includes('native-server/src/main.ts'))).toBe(true)
      const startScript = started.find((p) => commandLine(p.pid).includes('scripts/start.ts') && commandLine(p.pid).includes('--import'))
      expect(startScript).toBeDefined()
      const pid = target === 'npm' ? npm.pid! : startScript!.pid
      process.kill(pid, signal)

      const stoppedIn = await waitUntil(() => !alive(pid), 30_000)
      expect(alive(pid)).toBe(false)
      // Every part stops before the signalled process exits; allow a moment for the kernel to reap.
      const lingered = await waitUntil(() => started.every((p) => !alive(p.pid)), 2_000)
      const left = started.filter((p) => alive(p.pid)).map((p) => `${p.pid} ${commandLine(p.pid).slice(0, 120)}`)
      console.log(`${signal} to ${target}: it exited in ${stoppedIn} ms, ${started.length} processes it had started all gone ${lingered} ms later`)
      expect(left).toEqual([])
      expect(await waitUntil(() => npm.exitCode !== null || npm.signalCode !== null, 10_000)).toBeLessThan(10_000)
      for (const port of ports) expect([port, await portFree(port)]).toEqual([port, true])
      expect(output).toContain('✓ stopped')
    } finally {
      for (const p of [{ pid: npm.pid! }, ...started]) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL')
    }
  }, 240_000)
})

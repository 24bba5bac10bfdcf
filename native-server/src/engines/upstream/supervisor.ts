import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Logger } from '@tandem/protocol'

export interface SupervisorOptions {
  /** Run by `sh -c`, in a process group of its own so that stopping reaches everything it starts. */
  command: string
  logger: Logger
  env?: NodeJS.ProcessEnv
  /** First restart delay; doubles after each quick failure up to `maxBackoffMs`. */
  initialBackoffMs?: number
  maxBackoffMs?: number
  /** A run this long counts as healthy: the next failure restarts after `initialBackoffMs` again. */
  stableAfterMs?: number
  /** Called whenever the command exits, before any restart. */
  onExit?: () => void
}

/** Launches an engine command, restarts it with backoff when it dies, and stops it (and its children) on request. */
export class Supervisor {
  #child: ChildProcess | undefined
  #stopping = false
  #restartTimer: ReturnType<typeof setTimeout> | undefined
  #backoffMs: number
  #startedAt = 0
  #exited: Promise<void> = Promise.resolve()
  restarts = 0

  readonly #options: SupervisorOptions

  constructor(options: SupervisorOptions) {
    this.#options = options
    this.#backoffMs = options.initialBackoffMs ?? 1000
  }

  get running(): boolean {
    return this.#child !== undefined
  }

  /** The process id of the running command, if any. */
  get pid(): number | undefined {
    return this.#child?.pid
  }

  start(): void {
    this.#stopping = false
    this.#launch()
  }

  #launch(): void {
    const { command, logger } = this.#options
    const child = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: this.#options.env ?? process.env })
    this.#child = child
    this.#startedAt = performance.now()
    logger.info('upstream started', { pid: child.pid, restarts: this.restarts })
    for (const [name, stream] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
      createInterface({ input: stream }).on('line', (line) => logger.info('upstream output', { stream: name, line }))
    }
    this.#exited = new Promise((resolve) => {
      child.once('error', (error) => logger.error('upstream could not start', { error }))
      child.once('close', (code, signal) => {
        this.#child = undefined
        resolve()
        this.#options.onExit?.()
        if (this.#stopping) return logger.info('upstream stopped', { code, signal })
        this.#scheduleRestart(code, signal)
      })
    })
  }

  #scheduleRestart(code: number | null, signal: NodeJS.Signals | null): void {
    const initial = this.#options.initialBackoffMs ?? 1000
    if (performance.now() - this.#startedAt >= (this.#options.stableAfterMs ?? 60_000)) this.#backoffMs = initial
    const delay = this.#backoffMs
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#options.maxBackoffMs ?? 30_000)
    this.#options.logger.warn('upstream exited; restarting', { code, signal, in_ms: delay })
    this.#restartTimer = setTimeout(() => {
      this.restarts++
      this.#launch()
    }, delay)
  }

  /** SIGTERM to the whole group, SIGKILL after `timeoutMs`; no restart after this. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.#stopping = true
    clearTimeout(this.#restartTimer)
    const child = this.#child
    if (!child?.pid) return
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal)
      } catch {
        // already gone
      }
    }
    signalGroup('SIGTERM')
    const killer = setTimeout(() => signalGroup('SIGKILL'), timeoutMs)
    await this.#exited
    clearTimeout(killer)
  }
}

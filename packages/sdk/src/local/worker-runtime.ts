import { TandemError, type LocalRuntime } from '@tandem/protocol'
import { releaseProxy, wrap, type Remote } from 'comlink'

/** A started worker and the runtime it exposes. */
export interface WorkerRuntime {
  readonly runtime: Remote<LocalRuntime>
  /** Resolves, with the reason, once the worker is gone: terminated, crashed or out of memory. */
  readonly died: Promise<TandemError>
  readonly alive: boolean
  terminate(): void
}

/**
 * Starts the worker and learns when it dies. A terminated or crashed worker sends nothing more
 * (its transferred streams just stall), so the worker holds a Web Lock for its lifetime and the
 * page asks for the same lock: it is granted the moment the worker is gone.
 */
export async function startWorkerRuntime(createWorker: () => Worker, { startTimeoutMs = 15_000 } = {}): Promise<WorkerRuntime> {
  let worker: Worker
  try {
    worker = createWorker()
  } catch (error) {
    throw new TandemError('local_unavailable', `the local worker could not be created: ${(error as Error).message ?? error}`, { cause: error })
  }
  const runtime = wrap<LocalRuntime>(worker)
  const lock = `tandem-local-worker-${crypto.randomUUID()}`
  let failedToStart: (error: TandemError) => void = () => {}
  const startFailure = new Promise<never>((_, reject) => (failedToStart = reject))
  const onError = (event: ErrorEvent) => failedToStart(new TandemError('local_unavailable', `the local worker failed to start: ${event.message || 'its script did not load'}`))
  worker.addEventListener('error', onError)
  const timer = setTimeout(() => failedToStart(new TandemError('local_unavailable', `the local worker did not answer within ${startTimeoutMs} ms`)), startTimeoutMs)
  try {
    await Promise.race([runtime.holdLock(lock), startFailure])
  } catch (error) {
    worker.terminate()
    throw error
  } finally {
    clearTimeout(timer)
    worker.removeEventListener('error', onError)
  }

  let alive = true
  const died = navigator.locks
    ? navigator.locks.request(lock, () => undefined).then(() => {
        alive = false
        return new TandemError('local_unavailable', 'the local worker stopped (terminated, crashed or out of memory)')
      })
    : new Promise<TandemError>(() => {}) // no Web Locks: a death is noticed only by the next failing call
  return {
    runtime,
    died,
    get alive() {
      return alive
    },
    terminate() {
      alive = false
      runtime[releaseProxy]()
      worker.terminate()
    },
  }
}

/** One live worker at a time; a dead one is replaced on the next request. */
export function createRuntimeHolder(createWorker: () => Worker) {
  let current: Promise<WorkerRuntime> | undefined
  return {
    async get(): Promise<WorkerRuntime> {
      const running = await current?.catch(() => undefined)
      if (running?.alive) return running
      current = startWorkerRuntime(createWorker)
      return current
    },
    async dispose(): Promise<void> {
      const running = await current?.catch(() => undefined)
      current = undefined
      running?.terminate()
    },
  }
}

export type RuntimeHolder = ReturnType<typeof createRuntimeHolder>

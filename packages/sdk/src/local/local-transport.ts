import { TandemError, fromWireError, fromWirePart, toTandemError, type ChatRequest, type ChatStreamPart, type LoadProgress, type LoadRequestInput, type WireChatPart } from '@tandem/protocol'
import { proxy } from 'comlink'
import type { Transport } from '../transport.ts'
import type { RuntimeHolder } from './worker-runtime.ts'

export interface LocalTransportOptions {
  runtimes: RuntimeHolder
  /** What to load: the planner's variant and backend, and where its shards are. */
  load: LoadRequestInput
  /** A load still running after this long ends the stream with `timeout` (for the failover to take over); the load goes on. */
  watchdogMs?: number
  onProgress?(progress: LoadProgress): void
}

const LOCAL = { route: 'local' as const }

/**
 * The local route: the model in the worker. Loads (a no-op when it is already loaded), then reads
 * the transferred answer stream. Every wait races the worker's death, so a killed or crashed worker
 * ends the stream with an error at once instead of a stall — the failover takes it from there.
 */
export function createLocalTransport(options: LocalTransportOptions): Transport {
  return {
    route: 'local',
    stream: (request, signal) => streamLocal(options, request, signal),
  }
}

async function* streamLocal({ runtimes, load, watchdogMs, onProgress }: LocalTransportOptions, request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamPart> {
  let reader: ReadableStreamDefaultReader<WireChatPart[]> | undefined
  try {
    const worker = await runtimes.get()
    const stop = Promise.race([worker.died, aborted(signal)]).then((error): never => {
      throw error
    })
    stop.catch(() => {})
    const loading = worker.runtime.load(load, onProgress && proxy(onProgress))
    // Outlives this request when the watchdog fires: the worker keeps loading for the next one.
    loading.catch(() => {})
    const watchdog = watchdogMs === undefined ? undefined : overdue(watchdogMs)
    const loaded = await Promise.race([loading, stop, ...(watchdog ? [watchdog.fired] : [])]).finally(() => watchdog?.cancel())
    if (loaded === OVERDUE) {
      const message = `the local route did not load ${load.model} ${load.variant} within ${watchdogMs} ms (options.local.localTimeoutMs); it goes on loading for the next request`
      yield { type: 'error', error: new TandemError('timeout', message) }
      return
    }
    if (!loaded.ok) {
      yield { type: 'error', error: loadFailure(load, fromWireError(loaded)) }
      return
    }
    reader = (await Promise.race([worker.runtime.chat(request), stop])).getReader()
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), stop])
      if (done) {
        yield { type: 'error', error: new TandemError('internal', 'the local stream ended without done') }
        return
      }
      // One message holds the parts of up to a frame; the caller still gets them one by one.
      for (const wire of value) {
        const part = fromWirePart(wire)
        yield part.type === 'chunk' ? { type: 'chunk', chunk: { ...part.chunk, tandem: LOCAL } } : part
        if (part.type !== 'chunk') return
      }
    }
  } catch (error) {
    yield { type: 'error', error: TandemError.isInstance(error) ? error : new TandemError('local_unavailable', `the local runtime failed: ${toTandemError(error).message}`, { cause: error }) }
  } finally {
    // Cancelling the transferred stream stops generation in the worker (a no-op once it ended).
    reader?.cancel().catch(() => {})
  }
}

/**
 * A failed load says it was the local route's, and where it looked for the model. Its code becomes
 * `local_unavailable` (the worker's error is the cause): a 404, a refused connection or a 401 from
 * the models URL must not read as the gateway's. A storage grant too small stays `quota`, which a
 * page can act on.
 */
function loadFailure(load: LoadRequestInput, error: TandemError): TandemError {
  if (error.code === 'aborted') return error
  const from = load.manifestUrl ? ` from the models URL ${new URL('.', load.manifestUrl).href}` : ' (its MLC build)'
  const message = `the local route could not load ${load.model} ${load.variant}${from}: ${error.message}`
  return new TandemError(error.code === 'quota' ? 'quota' : 'local_unavailable', message, { cause: error })
}

const OVERDUE = Symbol('overdue')

function overdue(ms: number): { fired: Promise<typeof OVERDUE>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const fired = new Promise<typeof OVERDUE>((resolve) => (timer = setTimeout(() => resolve(OVERDUE), ms)))
  return { fired, cancel: () => clearTimeout(timer) }
}

function aborted(signal: AbortSignal): Promise<TandemError> {
  return new Promise((resolve) => {
    const fire = () => resolve(new TandemError('aborted', 'the request was aborted'))
    if (signal.aborted) fire()
    else signal.addEventListener('abort', fire, { once: true })
  })
}

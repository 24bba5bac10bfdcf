import {
  Coalescer,
  TandemError,
  chatRequestSchema,
  loadRequestSchema,
  parseWith,
  toTandemError,
  toWireError,
  toWirePart,
  type CachedModel,
  type ChatStreamPart,
  type LoadProgress,
  type LoadRequest,
  type LocalRuntime,
  type Outcome,
  type RuntimeStatus,
  type WireChatPart,
} from '@tandem/protocol'
import { z } from 'zod'
import type { LocalEngine } from './engine.ts'
import { engineError } from './engine-errors.ts'
import { createEngine } from './engines/index.ts'
import { createShardStore, type ShardStore } from './shards/shard-store.ts'
import { measure } from './timeline.ts'

/** Failures of the request, not of the engine: the model stays loaded after these. */
const REQUEST_FAILURES = new Set(['aborted', 'invalid_request', 'context_length_exceeded', 'unsupported'])

const deleteArgs = z.tuple([z.string().min(1), z.string().min(1).optional()])
const lockName = z.string().min(1).max(200)

/** LocalRuntime as the worker implements it: the same methods, every argument unknown until parsed here. */
export type UncheckedRuntime = {
  [K in keyof LocalRuntime]: (...args: Unknowns<Parameters<LocalRuntime[K]>>) => ReturnType<LocalRuntime[K]>
}
type Unknowns<T extends unknown[]> = { [I in keyof T]: unknown }

/** What the runtime keeps: the shard store, the one model it holds, and how many answers it is streaming. */
interface RuntimeState {
  readonly store: ShardStore
  engine?: LocalEngine
  loadedKey?: string
  status: RuntimeStatus
  loading?: { key: string; outcome: Promise<Outcome<RuntimeStatus>> }
  streams: number
}

/**
 * The runtime the worker exposes: one loaded model on one engine, shards from the store.
 * Every input is parsed here, once; nothing throws across the boundary — failures come back
 * as Outcomes or as the stream's error part, and the page rebuilds them into TandemErrors.
 */
export function createLocalRuntime(): UncheckedRuntime {
  const state: RuntimeState = { store: createShardStore(), status: { state: 'idle' }, streams: 0 }
  return {
    load: (input, onProgress) => load(state, input, onProgress),
    chat: (input) => chat(state, input),
    unload: () => unload(state),
    async status() {
      return state.status
    },
    async cached(): Promise<Outcome<CachedModel[]>> {
      try {
        return { ok: true, value: await state.store.list() }
      } catch (error) {
        return failure(engineError('cache', error))
      }
    },
    async deleteCached(model: unknown, variant?: unknown): Promise<Outcome<void>> {
      const parsed = parseWith(deleteArgs, variant === undefined ? [model] : [model, variant], 'deleteCached')
      if (!parsed.ok) return failure(parsed.error)
      try {
        await state.store.delete(...parsed.value)
        return { ok: true, value: undefined }
      } catch (error) {
        return failure(engineError('cache', error))
      }
    },
    async holdLock(name: unknown) {
      const parsed = parseWith(lockName, name, 'lock name')
      if (!parsed.ok || !navigator.locks) return
      await new Promise<void>((held) => {
        void navigator.locks.request(parsed.value, () => {
          held()
          return new Promise<never>(() => {}) // released only when the worker ends
        })
      })
    },
  }
}

async function load(state: RuntimeState, input: unknown, onProgress?: unknown): Promise<Outcome<RuntimeStatus>> {
  const parsed = parseWith(loadRequestSchema, input, 'load request')
  if (!parsed.ok) return failure(parsed.error)
  const key = JSON.stringify(parsed.value)
  if (state.engine && state.loadedKey === key) return { ok: true, value: state.status }
  if (state.loading?.key === key) return state.loading.outcome
  const outcome = (state.loading?.outcome ?? Promise.resolve()).then(() => loadFresh(state, parsed.value, key, onProgress))
  state.loading = { key, outcome }
  try {
    return await outcome
  } finally {
    if (state.loading?.key === key) state.loading = undefined
  }
}

async function loadFresh(state: RuntimeState, request: LoadRequest, key: string, onProgress: unknown): Promise<Outcome<RuntimeStatus>> {
  await unload(state)
  state.status = { state: 'loading', model: request.model, variant: request.variant, engine: request.engine, backend: request.backend }
  // The callback is a comlink proxy: a page that went away must not break the load.
  const progress = (p: LoadProgress) => {
    if (typeof onProgress === 'function') void Promise.resolve(onProgress(p)).catch(() => {})
  }
  try {
    const next = await createEngine(request.engine)
    const info = await next.load({
      request,
      progress,
      shards: () => state.store.ensure({ manifestUrl: request.manifestUrl!, model: request.model, variant: request.variant, onProgress: progress }),
    })
    state.engine = next
    state.loadedKey = key
    state.status = { ...state.status, state: 'ready', ...(info.threads !== undefined ? { threads: info.threads } : {}) }
    return { ok: true, value: state.status }
  } catch (error) {
    state.status = { state: 'idle' }
    return failure(engineError(request.engine, error))
  }
}

async function chat(state: RuntimeState, input: unknown): Promise<ReadableStream<WireChatPart[]>> {
  const parsed = parseWith(chatRequestSchema, input, 'request')
  if (!parsed.ok) return single({ type: 'error', error: parsed.error })
  if (!state.engine || state.status.state === 'loading') return single({ type: 'error', error: new TandemError('model_not_loaded', 'no model is loaded in the local worker') })
  const stop = new AbortController()
  const running = state.engine
  const parts = running.chat(parsed.value, stop.signal)[Symbol.asyncIterator]()
  const queue = new Coalescer<WireChatPart>()
  const batches = queue[Symbol.asyncIterator]()
  const started = performance.now()
  let messages = 0
  let partsSent = 0
  let open = true
  const finish = () => {
    if (!open) return
    open = false
    if (--state.streams === 0 && state.status.state === 'generating') state.status = { ...state.status, state: 'ready' }
  }
  let reported = false
  const report = () => {
    if (!reported) measure('answer', started, { messages, parts: partsSent })
    reported = true
  }
  state.streams++
  state.status = { ...state.status, state: 'generating' }

  // The engine is read as fast as it produces, whatever the page does: a page that reads slowly gets larger batches.
  void (async () => {
    let last: ChatStreamPart | undefined
    try {
      for (let next = await parts.next(); !next.done; next = await parts.next()) {
        last = next.value
        queue.push(toWirePart(last))
        partsSent++
        if (last.type !== 'chunk') break
      }
    } catch (error) {
      last = { type: 'error', error: toTandemError(error) }
      queue.push(toWirePart(last))
      partsSent++
    }
    finish()
    queue.end()
    // A crashed wasm instance or a lost GPU device does not recover: load afresh next time.
    if (last?.type === 'error' && !REQUEST_FAILURES.has(last.error.code) && state.engine === running) await unload(state)
  })()

  return new ReadableStream<WireChatPart[]>(
    {
      async pull(stream) {
        const next = await batches.next()
        if (next.done) {
          report()
          stream.close()
          return
        }
        messages++
        stream.enqueue(next.value)
      },
      async cancel() {
        report()
        stop.abort()
        finish()
        await batches.return(undefined)
        await parts.return?.()
      },
    },
    // Nothing read ahead: a batch waits in the queue, where later parts still join it.
    { highWaterMark: 0 },
  )
}

async function unload(state: RuntimeState): Promise<void> {
  const current = state.engine
  state.engine = undefined
  state.loadedKey = undefined
  state.status = { state: 'idle' }
  await current?.unload().catch(() => {})
}

function failure(error: TandemError): Outcome<never> {
  return { ok: false, ...toWireError(error) }
}

function single(part: ChatStreamPart): ReadableStream<WireChatPart[]> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue([toWirePart(part)])
      controller.close()
    },
  })
}

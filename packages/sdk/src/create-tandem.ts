import { findModel } from '@tandem/models'
import { TandemError, parseChatRequest, parseWith, toTandemError, type ChatCompletion, type ChatRequest, type ChatRequestInput, type ChatStreamPart, type LoadRequestInput } from '@tandem/protocol'
import { ChatStream } from './chat-stream.ts'
import { createEmitter, type TandemEvents, type Unsubscribe } from './events.ts'
import { withFailover } from './failover/index.ts'
import { createLocalTransport, createModelCache, createRuntimeHolder, type ModelCache, type RuntimeHolder } from './local/index.ts'
import { tandemOptionsSchema, type ResolvedOptions, type TandemOptions } from './options.ts'
import type { DeviceProfile } from './plan/device.ts'
import { localSpeedKey, readLocalSpeeds, recordLocalSpeed } from './plan/local-speed.ts'
import { planRoute, wasmThreads, type GatewayModels, type Plan, type PlanInput } from './plan/planner.ts'
import { loadDeviceProfile } from './plan/probe-cache.ts'
import { createRemoteTransport, type RemoteTransport } from './remote/remote-transport.ts'
import type { Transport } from './transport.ts'

/** A chat request as the `openai` client takes it; `model` defaults to the client's. */
export type CreateParams = Omit<ChatRequestInput, 'model'> & { model?: string; signal?: AbortSignal }
type StreamingParams = CreateParams & { stream: true }
type NonStreamingParams = CreateParams & { stream?: false | null }

export interface Tandem {
  chat: {
    completions: {
      create(params: StreamingParams): Promise<ChatStream>
      create(params: NonStreamingParams): Promise<ChatCompletion>
    }
  }
  /** Where the next request would go, and why. Nothing loads or downloads (the local worker may start, to read its cache). */
  plan(): Promise<Plan>
  /** Models stored on this device for the local route. */
  cache: ModelCache
  /** `progress` while a model downloads, verifies and loads; `route` when an answer moves to another route midway. */
  on<K extends keyof TandemEvents>(type: K, listener: (event: TandemEvents[K]) => void): Unsubscribe
  /** Stops the local worker; the next local request starts a new one. */
  close(): Promise<void>
}

/** What a client keeps between requests; the request paths below take it as their first argument. */
interface ClientState {
  readonly options: ResolvedOptions
  readonly remote: RemoteTransport | undefined
  readonly runtimes: RuntimeHolder | undefined
  readonly cache: ModelCache
  readonly events: ReturnType<typeof createEmitter<TandemEvents>>
  device?: Promise<DeviceProfile>
  persistAsked: boolean
}

/** The client. Options are checked here, once, with errors that name the option. */
export function createTandem(input: TandemOptions): Tandem {
  const parsed = parseWith(tandemOptionsSchema, input, 'options')
  if (!parsed.ok) throw parsed.error
  const options = parsed.value
  const remote = options.remote && createRemoteTransport({ ...options.remote, maxRetries: options.maxRetries, fetch: options.fetch })
  const runtimes = options.local && createRuntimeHolder(options.local.worker)
  const client: ClientState = { options, remote, runtimes, cache: createModelCache(runtimes), events: createEmitter<TandemEvents>(), persistAsked: false }

  // The overloads make the return type follow `stream`; the work is in `open`.
  async function create(params: StreamingParams): Promise<ChatStream>
  async function create(params: NonStreamingParams): Promise<ChatCompletion>
  async function create(params: CreateParams): Promise<ChatStream | ChatCompletion> {
    const stream = await open(client, params)
    return params.stream ? stream : stream.finalCompletion()
  }

  return {
    chat: { completions: { create } },
    plan: async () => (await planFor(client, options.model)).plan,
    cache: client.cache,
    on: client.events.on,
    close: async () => runtimes?.dispose(),
  }
}

/** One request: checked, planned, then streamed on the chosen route (the local one failing over to the remote). */
async function open(client: ClientState, { signal, ...body }: CreateParams): Promise<ChatStream> {
  const { options, remote, events } = client
  const request = parseChatRequest({ model: options.model, ...body, stream: true, stream_options: { include_usage: true } })
  if (!request.ok) throw request.error
  const { plan: chosen, profile } = await planFor(client, request.value.model)
  if (chosen.route === 'none') {
    const code = chosen.refusal!
    throw new TandemError(code, `no route can serve ${request.value.model}: ${chosen.reasons.join('; ')}`, code === 'not_found' ? { param: 'model' } : {})
  }
  const controller = new AbortController()
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
  }
  if (chosen.route === 'remote') return new ChatStream(await started(remote!.stream(request.value, controller.signal), controller), 'remote', chosen, controller)

  if (!chosen.local!.cached && !client.persistAsked) {
    client.persistAsked = true
    // Only a page may ask (workers cannot); without it the browser may evict the model under pressure.
    await (globalThis as { navigator?: { storage?: { persist?(): Promise<boolean> } } }).navigator?.storage?.persist?.().catch(() => false)
  }
  const local = localTransport(client, request.value, chosen, profile)
  const startedAt = performance.now()
  let parts = local.stream(request.value, controller.signal)
  if (remote && options.route !== 'local-only') {
    parts = withFailover(parts, {
      request: request.value,
      from: 'local',
      next: remote,
      signal: controller.signal,
      available: isOnline,
      onRouteChange: (change) => events.emit('route', { ...change, model: request.value.model }),
    })
  }
  const key = localSpeedKey(request.value.model, chosen.local!.variant, chosen.local!.backend)
  return new ChatStream(await started(measureLocal(parts, key, startedAt), controller), 'local', chosen, controller)
}

async function planFor(client: ClientState, modelId: string): Promise<{ plan: Plan; profile: DeviceProfile }> {
  const { options, remote, runtimes } = client
  const profile = await currentDevice(client)
  const input: PlanInput = {
    device: profile,
    model: findModel(modelId),
    modelId,
    mode: options.route,
    contextLength: options.contextLength,
    hasRemote: remote !== undefined,
    hasLocalRuntime: runtimes !== undefined,
    cachedVariants: await cachedVariants(client, modelId, profile),
    ...(runtimes && { localSpeeds: await readLocalSpeeds(), minLocalTokensPerSecond: options.local?.minLocalTokensPerSecond, localTimeoutMs: options.local?.localTimeoutMs }),
  }
  const plan = planRoute(input)
  // The gateway's list is read only when the plan leans on the gateway: a local answer does not wait for it.
  if (plan.route === 'local' || !remote || !profile.online || options.route === 'local-only') return { plan, profile }
  const gatewayModels = await remote.models().then(
    (ids): GatewayModels => ({ ids }),
    (error: unknown): GatewayModels => ({ error: toTandemError(error).message }),
  )
  return { plan: planRoute({ ...input, gatewayModels }), profile }
}

async function currentDevice(client: ClientState): Promise<DeviceProfile> {
  client.device ??= loadDeviceProfile().then(({ profile }) => profile)
  // Connectivity changes while a page is open; the rest of the probe does not.
  return { ...(await client.device), online: isOnline() }
}

async function cachedVariants({ options, runtimes, cache }: ClientState, modelId: string, profile: DeviceProfile): Promise<string[]> {
  if (!runtimes || !profile.canStartWorker || options.route === 'remote-only') return []
  const stored = await cache.list().catch(() => [])
  return stored.filter((c) => c.model === modelId && c.complete).map((c) => c.variant)
}

function localTransport({ options, runtimes, events }: ClientState, request: ChatRequest, plan: Plan, profile: DeviceProfile): Transport {
  const { variant, watchdogMs } = plan.local!
  return createLocalTransport({
    runtimes: runtimes!,
    load: loadRequestFor(options, request.model, plan, profile),
    watchdogMs,
    onProgress: (progress) => events.emit('progress', { ...progress, model: request.model, variant }),
  })
}

/**
 * Waits for the answer's first part, so that a request refused before its first chunk (401, 404,
 * 429 after retries, no local model) rejects `create()` as the openai client's does, instead of
 * throwing from the first step of the caller's loop. The parts then stream on unchanged.
 */
async function started(parts: AsyncIterable<ChatStreamPart>, controller: AbortController): Promise<AsyncIterable<ChatStreamPart>> {
  const iterator = parts[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (!first.done && first.value.type === 'error') {
    controller.abort()
    await iterator.return?.()
    throw first.value.error
  }
  return (async function* rest() {
    try {
      if (first.done) return
      yield first.value
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
    } finally {
      await iterator.return?.()
    }
  })()
}

/**
 * Passes the parts on, and keeps what an answer that stayed local to its end measured (decode
 * speed after the first token, the wait for it), for the planner's next choice.
 */
async function* measureLocal(parts: AsyncIterable<ChatStreamPart>, key: string, startedAt: number): AsyncGenerator<ChatStreamPart, void, undefined> {
  let first = 0
  let last = 0
  let tokens = 0
  let local = true
  for await (const part of parts) {
    if (part.type === 'chunk') {
      const { chunk } = part
      if (chunk.tandem && chunk.tandem.route !== 'local') local = false
      tokens = chunk.usage?.completion_tokens ?? tokens
      if (chunk.choices[0]?.delta.content) {
        last = performance.now()
        first ||= last
      }
    }
    // At `done`, before passing it on: a reader may stop pulling once it has it.
    if (part.type === 'done' && local && tokens > 1 && last > first) {
      await recordLocalSpeed(key, { tokensPerSecond: ((tokens - 1) * 1000) / (last - first), firstTokenMs: first - startedAt, at: Date.now() })
    }
    yield part
  }
}

function isOnline(): boolean {
  return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false
}

/** What the worker loads for the planner's choice: the manifest's GGUF shards on wllama, or a configured MLC build on web-llm. */
function loadRequestFor(options: ResolvedOptions, model: string, plan: Plan, profile: DeviceProfile): LoadRequestInput {
  const local = options.local!
  const { variant, backend } = plan.local!
  const mlcRecord = local.mlc?.[model]
  const common = {
    model,
    variant,
    threads: local.threads ?? wasmThreads(profile),
    contextLength: options.contextLength,
  }
  if (mlcRecord) return { ...common, engine: 'web-llm', backend: 'webgpu', mlcRecord }
  const folder = (local.modelsURL ?? '/models/').replace(/\/?$/, '/')
  const base = new URL(folder, (globalThis as { location?: { href: string } }).location?.href)
  return { ...common, engine: 'wllama', backend, manifestUrl: new URL(`${model}.manifest.json`, base).href }
}

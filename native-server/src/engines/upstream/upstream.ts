import {
  assistantPrefix,
  decodeChatStream,
  errorFromResponse,
  modelListSchema,
  TandemError,
  type ChatCompletionChunk,
  type ChatRequest,
  type Logger,
  type Model,
} from '@tandem/protocol'
import { abortReason } from '../abort-reason.ts'
import { Admission } from '../admission.ts'
import type { Engine, EngineStats, GenerationContext, ServedModel } from '../engine.ts'
import { Supervisor } from './supervisor.ts'

export interface UpstreamOptions {
  /** Base URL of the OpenAI-compatible engine (SGLang, vLLM, another tandem-native); `/v1/…` is added. */
  url: string
  /** Served name → the upstream's model id. Empty: serve the upstream's own ids. */
  models: ReadonlyArray<{ name: string; source: string }>
  /** Requests in flight at once; the engine upstream batches them. */
  parallel: number
  queueDepth: number
  queueTimeoutMs: number
  /** Launch and supervise this command; it listens at `url`. */
  command?: string | undefined
  readyTimeoutMs: number
  healthIntervalMs?: number
  logger: Logger
}

/**
 * Fronts one OpenAI-compatible engine that scales across GPUs on its own, such as SGLang with
 * tensor parallelism: attaches to it running, or launches it and keeps it running. Balancing over
 * several is the gateway's job (its upstream pool), not this engine's.
 */
export class UpstreamEngine implements Engine {
  readonly name = 'upstream'
  /** Whether the last health check (or request) reached it. */
  #healthy = false
  readonly #admission: Admission
  readonly #supervisor: Supervisor | undefined
  #served: Array<ServedModel & { upstreamId: string }> = []
  #loaded = false
  #healthTimer: ReturnType<typeof setInterval> | undefined
  #draining: TandemError | undefined
  readonly #closing = new AbortController()

  readonly #options: UpstreamOptions

  constructor(options: UpstreamOptions) {
    this.#options = options
    this.#admission = new Admission({ slots: options.parallel, queueDepth: options.queueDepth, queueTimeoutMs: options.queueTimeoutMs })
    this.#supervisor = options.command
      ? new Supervisor({
          command: options.command,
          logger: options.logger.child({ upstream: options.url }),
          // Down at once, not at the next health check: nothing is sent to it until it is back.
          onExit: () => (this.#healthy = false),
        })
      : undefined
  }

  async load(): Promise<void> {
    this.#supervisor?.start()
    const deadline = performance.now() + this.#options.readyTimeoutMs
    let listed: Model[] | undefined
    while (!listed) {
      listed = await this.#check()
      if (listed) break
      if (this.#closing.signal.aborted) throw new TandemError('upstream_unavailable', 'closed while waiting for the upstream')
      if (performance.now() > deadline) {
        await this.#supervisor?.stop()
        throw new TandemError('upstream_unavailable', `the upstream did not answer within ${this.#options.readyTimeoutMs} ms: ${this.#options.url}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const created = Math.floor(Date.now() / 1000)
    const wanted = this.#options.models.length > 0 ? this.#options.models : listed.map(({ id }) => ({ name: id, source: id }))
    this.#served = wanted.map(({ name, source }) => {
      const model = listed.find(({ id }) => id === source)
      return { id: name, upstreamId: source, created: model?.created || created, ownedBy: 'upstream', maxModelLen: model?.max_model_len ?? undefined }
    })
    this.#loaded = true
    this.#options.logger.info('upstream ready', { url: this.#options.url, models: this.#served.map((m) => `${m.id}→${m.upstreamId}`) })
    this.#healthTimer = setInterval(() => void this.#check(), this.#options.healthIntervalMs ?? 2000)
    this.#healthTimer.unref()
  }

  /** Marks the upstream healthy or not by `GET /v1/models`; its models when healthy. */
  async #check(): Promise<Model[] | undefined> {
    const { url, logger } = this.#options
    try {
      const response = await fetch(`${url}/v1/models`, { signal: AbortSignal.any([AbortSignal.timeout(2000), this.#closing.signal]) })
      const list = response.ok ? modelListSchema.safeParse(await response.json()) : undefined
      // A server still loading may already answer, with no models yet.
      const models = list?.success && list.data.data.length > 0 ? list.data.data : undefined
      if (this.#healthy !== (models !== undefined)) logger.info(models ? 'upstream up' : 'upstream down', { url })
      this.#healthy = models !== undefined
      return models
    } catch {
      if (this.#healthy) logger.warn('upstream down', { url })
      this.#healthy = false
      return undefined
    }
  }

  /** The supervised command's process id (its process group), while it runs. */
  get supervisedPid(): number | undefined {
    return this.#supervisor?.pid
  }

  models(): readonly ServedModel[] {
    return this.#served.map(({ id, created, ownedBy, maxModelLen }) => ({ id, created, ownedBy, maxModelLen }))
  }

  configuredModels(): readonly string[] | undefined {
    if (this.#options.models.length > 0) return this.#options.models.map((model) => model.name)
    return this.#loaded ? this.#served.map((model) => model.id) : undefined
  }

  stats(): EngineStats {
    return {
      ready: this.#loaded && !this.#draining && this.#healthy,
      active: this.#admission.active,
      queued: this.#admission.queued,
      full: this.#admission.full,
    }
  }

  async generate(request: ChatRequest, { id, created, signal }: GenerationContext): Promise<AsyncIterable<ChatCompletionChunk>> {
    if (this.#draining) throw this.#draining
    const model = this.#served.find((m) => m.id === request.model)
    if (!model) throw new TandemError('model_not_loaded', `model "${request.model}" is not served`, { param: 'model' })
    const slot = await this.#admission.acquire(signal)
    try {
      const response = await this.#send(forwardedBody(request, model.upstreamId), signal)
      return rewriteChunks(response, { id, created, model: request.model }, () => slot.release())
    } catch (error) {
      slot.release()
      throw error
    }
  }

  /** Posts to the upstream; one that cannot be reached is marked down until a health check finds it again. */
  async #send(body: unknown, signal: AbortSignal): Promise<Response> {
    const { url, logger } = this.#options
    if (!this.#healthy) throw new TandemError('upstream_unavailable', 'the upstream is not reachable')
    let response: Response
    try {
      response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal,
      })
    } catch (error) {
      if (signal.aborted) throw abortReason(signal)
      logger.warn('upstream unreachable', { url, error })
      this.#healthy = false
      throw new TandemError('upstream_unavailable', 'the upstream is not reachable', { cause: error })
    }
    if (response.ok && response.body) return response
    throw await errorFromResponse(response)
  }

  drain(): void {
    this.#draining = new TandemError('upstream_unavailable', 'the server is shutting down')
    this.#admission.close(this.#draining)
  }

  async close(): Promise<void> {
    this.drain()
    this.#closing.abort()
    clearInterval(this.#healthTimer)
    await this.#supervisor?.stop()
  }
}

/**
 * The request as the upstream takes it: always streamed with usage (the server strips what the
 * client did not ask for), and a prefix also in the form vLLM and SGLang read.
 */
function forwardedBody({ timings_per_token: _ours, ...request }: ChatRequest, upstreamId: string) {
  const prefix = assistantPrefix(request) !== undefined
  return {
    ...request,
    model: upstreamId,
    stream: true,
    stream_options: { include_usage: true },
    ...(prefix ? { continue_final_message: true, add_generation_prompt: false } : {}),
  }
}

/** The upstream's SSE as chunks under this server's id and model name; an error part is thrown. */
async function* rewriteChunks(
  response: Response,
  ours: { id: string; created: number; model: string },
  done: () => void,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  try {
    for await (const part of decodeChatStream(response.body!)) {
      if (part.type === 'error') throw part.error
      if (part.type === 'done') return
      yield { ...part.chunk, ...ours }
    }
  } finally {
    done()
  }
}

import {
  collectCompletion,
  effectiveMaxTokens,
  encodeChatStream,
  errorResponse,
  modelNotFound,
  parseChatRequest,
  readBodyText,
  TandemError,
  toTandemError,
  type ChatCompletionChunk,
  type ChatRequest,
  type Logger,
} from '@tandem/protocol'
import type { Engine } from '../engines/index.ts'
import { observeGeneration, type GenerationSummary, type ServerMetrics } from '../metrics/index.ts'

export interface ChatCompletionsOptions {
  engine: Engine
  metrics: ServerMetrics
  logger: Logger
  /** Requests may not ask for more; it is also the default when they name no limit. */
  maxTokens?: number | undefined
  /** Larger request bodies get 413. */
  maxBodyBytes: number
  heartbeatMs: number
  /** Log each request's messages. Off by default: prompts are the users' business. */
  logPrompts: boolean
  /** Set while shutting down: new requests are refused, and aborting it cuts running streams. */
  shutdown: { readonly draining: boolean; readonly cut: AbortSignal }
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }

/** `POST /v1/chat/completions`: the body parsed once, then an engine's chunks as SSE or as one completion. */
export function chatCompletions(options: ChatCompletionsOptions) {
  const { engine, metrics, shutdown } = options

  return async function handleChatCompletions(raw: Request, requestId: string): Promise<Response> {
    const startedAt = performance.now()
    const logger = options.logger.child({ request_id: requestId })
    const log = (status: number, request: ChatRequest | undefined, summary?: GenerationSummary, error?: unknown) => {
      logger.info('chat completion', {
        status,
        ...(error ? { error: toTandemError(error).code } : {}),
        model: request?.model,
        stream: request?.stream === true,
        ...(summary ? summaryFields(summary) : { duration_ms: Math.round(performance.now() - startedAt) }),
        ...(options.logPrompts && request ? { messages: request.messages } : {}),
      })
    }
    const counted = (response: Response): Response => {
      metrics.requests.inc({ status: String(response.status) })
      return response
    }
    const refuse = (error: unknown, request?: ChatRequest): Response => {
      const response = counted(errorResponse(error))
      log(response.status, request, undefined, error)
      return response
    }

    let request: ChatRequest
    try {
      request = await readRequest(raw, engine, options)
    } catch (error) {
      return refuse(error)
    }
    if (shutdown.draining) return refuse(new TandemError('upstream_unavailable', 'the server is shutting down'), request)

    const id = `chatcmpl-${crypto.randomUUID().replaceAll('-', '')}`
    const signal = AbortSignal.any([raw.signal, shutdown.cut])
    let chunks: AsyncIterable<ChatCompletionChunk>
    try {
      chunks = await engine.generate(request, { id, created: Math.floor(Date.now() / 1000), signal })
    } catch (error) {
      return refuse(error, request)
    }

    const observed = observeGeneration(chunks, {
      startedAt,
      onEnd: (summary) => {
        record(metrics, summary, shutdown.cut.aborted)
        log(summary.outcome === 'failed' && request.stream !== true ? (summary.error?.status ?? 500) : 200, request, summary)
      },
    })
    if (request.stream === true) {
      const body = request.stream_options?.include_usage === true ? observed : withoutUsage(observed)
      return counted(new Response(encodeChatStream(body, { heartbeatMs: options.heartbeatMs }), { headers: SSE_HEADERS }))
    }
    // The request's log line comes from onEnd, failed or not.
    return counted(await collectCompletion(observed).then((completion) => Response.json(completion), errorResponse))
  }
}

/** The body read and checked, every problem a TandemError naming the field. */
async function readRequest(raw: Request, engine: Engine, { maxTokens, maxBodyBytes }: Pick<ChatCompletionsOptions, 'maxTokens' | 'maxBodyBytes'>): Promise<ChatRequest> {
  const text = await readBodyText(raw, maxBodyBytes)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message})` : ''
    throw new TandemError('invalid_request', `request body: not valid JSON${detail}`)
  }
  const parsed = parseChatRequest(json)
  if (!parsed.ok) throw parsed.error
  const request = parsed.value
  if (!engine.models().some((model) => model.id === request.model)) {
    const configured = engine.configuredModels()
    if (configured === undefined || configured.includes(request.model)) {
      throw new TandemError('model_loading', `model: "${request.model}" is still loading; retry shortly`, { param: 'model' })
    }
    throw modelNotFound(request.model)
  }
  const asked = effectiveMaxTokens(request)
  if (maxTokens !== undefined && asked !== undefined && asked > maxTokens) {
    const param = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens'
    throw new TandemError('invalid_request', `${param}: at most ${maxTokens} on this server`, { param })
  }
  return maxTokens !== undefined && asked === undefined ? { ...request, max_tokens: maxTokens } : request
}

/** Engines always end with a usage chunk; a client sees it only when it asked (`stream_options.include_usage`). */
async function* withoutUsage(chunks: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  for await (const chunk of chunks) if (!chunk.usage) yield chunk
}

function record(metrics: ServerMetrics, summary: GenerationSummary, shuttingDown: boolean): void {
  if (summary.usage) {
    metrics.promptTokens.inc(summary.usage.prompt_tokens)
    metrics.completionTokens.inc(summary.usage.completion_tokens)
  }
  if (summary.timeToFirstTokenMs !== undefined) metrics.timeToFirstToken.observe(summary.timeToFirstTokenMs / 1000)
  if (summary.tokensPerSecond !== undefined) metrics.tokensPerSecond.observe(summary.tokensPerSecond)
  const cancelled = summary.outcome === 'left' || (summary.outcome === 'failed' && (summary.error?.code === 'aborted' || shuttingDown))
  if (cancelled) metrics.cancellations.inc({ reason: shuttingDown ? 'shutdown' : 'client' })
}

function summaryFields(summary: GenerationSummary) {
  return {
    outcome: summary.outcome,
    finish_reason: summary.finishReason,
    prompt_tokens: summary.usage?.prompt_tokens,
    completion_tokens: summary.usage?.completion_tokens,
    ttft_ms: summary.timeToFirstTokenMs === undefined ? undefined : Math.round(summary.timeToFirstTokenMs),
    tokens_per_second: summary.tokensPerSecond === undefined ? undefined : Math.round(summary.tokensPerSecond * 10) / 10,
    duration_ms: Math.round(summary.durationMs),
    error: summary.error?.code,
  }
}

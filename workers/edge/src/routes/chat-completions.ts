import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { modelNotFound, parseChatRequest, TandemError, usageSchema, type ChatRequest, type Usage } from '@tandem/protocol'
import { mayUseModel } from '../auth/index.ts'
import type { GatewayEnv } from '../http/gateway-env.ts'
import { readJson } from '../http/read-json.ts'
import { admit, CONCURRENCY_RETRY_SECONDS, estimatePromptTokens, reservedTokens } from '../limits/index.ts'
import { forwardChat } from '../upstreams/forward-chat.ts'
import { checkPromptFits } from '../upstreams/prompt-fit.ts'
import { relaySse, type RelayEnd } from '../upstreams/relay-sse.ts'
import type { GatewayParts } from './gateway-parts.ts'

function usageOf(text: string): Usage | undefined {
  try {
    const usage = usageSchema.safeParse((JSON.parse(text) as { usage?: unknown }).usage)
    return usage.success ? usage.data : undefined
  } catch {
    return undefined
  }
}

/**
 * What goes upstream: the validated request (unknown fields stripped), asking on streams for usage
 * and for running token counts on every chunk (llama.cpp's `timings_per_token`), so a stream the
 * client leaves is charged what it delivered.
 */
function upstreamBody(request: ChatRequest): string {
  if (request.stream !== true) return JSON.stringify(request)
  return JSON.stringify({ ...request, stream_options: { ...request.stream_options, include_usage: true }, timings_per_token: true })
}

/**
 * `POST /v1/chat/completions`: validate, check the model and that the prompt can fit, take a place
 * among the principal's concurrent requests, charge the limits, then forward with failover; a stream
 * is relayed as it arrives. The place is given back however the request ends.
 */
export function chatCompletions(parts: GatewayParts) {
  const { config, pool, concurrency } = parts
  return async function chatCompletions(c: Context<GatewayEnv>): Promise<Response> {
    const principal = c.get('principal')
    const fields = c.get('logFields')
    const parsed = parseChatRequest(await readJson(c, config.maxBodyBytes))
    if (!parsed.ok) throw parsed.error
    const request = parsed.value
    fields.model = request.model
    fields.stream = request.stream === true
    if (!config.models.includes(request.model)) throw modelNotFound(request.model)
    if (!mayUseModel(principal, request.model)) {
      throw new TandemError('forbidden', `this credential may not use the model "${request.model}"`, { param: 'model' })
    }
    checkPromptFits(pool.upstreams, request)

    let release: () => void
    try {
      release = concurrency.acquire(principal)
    } catch (error) {
      c.header('retry-after', String(CONCURRENCY_RETRY_SECONDS))
      throw error
    }
    try {
      return await forward(c, parts, request, release)
    } catch (error) {
      release()
      throw error
    }
  }
}

/** Charges the limits and forwards; `release` is called once the request is over, a stream's at its end. */
async function forward(c: Context<GatewayEnv>, { config, limiter, pool, health, fetch, log }: GatewayParts, request: ChatRequest, release: () => void): Promise<Response> {
  const principal = c.get('principal')
  const fields = c.get('logFields')
  const stream = request.stream === true
  const reserved = reservedTokens(request)
  const admitted = await admit(c, limiter, principal, { requests: 1, tokens: reserved })
  function settle(actual: number): Promise<void> {
    return admitted.settle(actual - reserved).catch((error: unknown) => {
      log.warn('settling the rate limit failed', { request_id: c.get('requestId'), error: error instanceof Error ? error.name : 'unknown' })
    })
  }

  const requestId = c.get('requestId')
  await health.checkIfNoneReady(Date.now())
  const result = await forwardChat({
    pool,
    fetch,
    body: upstreamBody(request),
    stream,
    requestId,
    signal: c.req.raw.signal,
    timeoutMs: config.upstreamTimeoutMs,
    maxRetryWaitMs: config.maxRetryWaitMs,
    upstreamKey: config.upstreamKey,
    log,
  }).catch((error: unknown) => {
    c.executionCtx.waitUntil(settle(0))
    throw error
  })
  fields.attempts = result.attempts

  if (result.kind !== 'stream') release()
  if (result.kind === 'failed') {
    c.executionCtx.waitUntil(settle(0))
    if (result.retryAfterMs !== undefined) c.header('retry-after', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))))
    throw result.error
  }
  fields.upstream = result.upstream.name

  if (result.kind === 'body') {
    const usage = result.status === 200 ? usageOf(result.text) : undefined
    c.executionCtx.waitUntil(settle(usage?.total_tokens ?? (result.status === 200 ? reserved : 0)))
    return c.body(result.text, result.status as ContentfulStatusCode, { 'content-type': result.contentType })
  }

  const started = Date.now()
  let ended: (end: RelayEnd) => void = () => {}
  const end = new Promise<RelayEnd>((resolve) => (ended = resolve))
  const body = relaySse({
    reader: result.reader,
    first: result.first,
    keepUsageChunk: request.stream_options?.include_usage === true,
    idleTimeoutMs: config.upstreamTimeoutMs,
    abort: result.abort,
    onEnd: ended,
  })
  c.executionCtx.waitUntil(
    end.then(async function streamEnded({ outcome, usage, chunks, completionTokens, promptTokens, error }) {
      result.finish()
      release()
      log.info('stream end', {
        request_id: requestId,
        upstream: result.upstream.name,
        outcome,
        code: error?.code,
        chunks,
        prompt_tokens: usage?.prompt_tokens,
        completion_tokens: usage?.completion_tokens ?? completionTokens,
        ms: Date.now() - started,
      })
      // Finished or not, the same rule: the prompt and the completion tokens relayed.
      await settle((promptTokens ?? estimatePromptTokens(request)) + completionTokens)
    }),
  )
  return c.body(body, 200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
}

import { errorFromBody, retryAfterMs, sleep, TandemError, type Logger } from '@tandem/protocol'
import type { UpstreamFetch } from './upstream-fetch.ts'
import type { Upstream, UpstreamPool } from './upstream-pool.ts'

/** The first try and at most two moves to another upstream. */
export const MAX_ATTEMPTS = 3

/** What a client is asked to wait when no upstream has been seen ready yet. */
export const NOT_READY_RETRY_MS = 1000

export interface ForwardOptions {
  readonly pool: UpstreamPool
  readonly fetch: UpstreamFetch
  /** The validated request as JSON. */
  readonly body: string
  readonly stream: boolean
  readonly requestId: string
  /** The client's: its abort aborts the upstream request, before and after the first byte. */
  readonly signal: AbortSignal
  /** From sending to the first byte of the response. */
  readonly timeoutMs: number
  readonly maxRetryWaitMs: number
  readonly upstreamKey: string | undefined
  readonly log: Logger
}

interface Answered {
  readonly upstream: Upstream
  readonly attempts: number
  readonly status: number
}

/** A committed stream: its first bytes are in, so failures from here on are the stream's to report. */
export interface ForwardedStream extends Answered {
  readonly kind: 'stream'
  readonly reader: ReadableStreamDefaultReader<Uint8Array>
  readonly first: Uint8Array
  readonly abort: (reason?: unknown) => void
  /** Ends the upstream's count of outstanding requests; call when the stream is over. */
  readonly finish: () => void
}

/** A whole body: a non-streamed completion, or an upstream's answer that no other upstream would change (a 4xx). */
export interface ForwardedBody extends Answered {
  readonly kind: 'body'
  readonly contentType: string
  readonly text: string
}

export type ForwardResult =
  | ForwardedStream
  | ForwardedBody
  | { readonly kind: 'failed'; readonly error: TandemError; readonly attempts: number; readonly retryAfterMs: number | undefined }

type Attempt =
  | { ok: true; value: ForwardedStream | ForwardedBody }
  | { ok: false; error: TandemError; retryAfterMs: number | undefined; hard: boolean }

/** What a client hears of an upstream's 429 or 5xx: its own words when they say "try again", else a plain failure. */
function refusal(upstream: TandemError): TandemError {
  if (['upstream_unavailable', 'model_loading', 'model_not_loaded', 'timeout'].includes(upstream.code)) return upstream
  if (upstream.status === 429) return new TandemError('upstream_unavailable', 'every upstream is busy')
  return new TandemError('upstream_error', `the upstream failed with status ${upstream.status}`)
}

async function attempt(upstream: Upstream, options: ForwardOptions, attempts: number): Promise<Attempt> {
  const { pool, fetch, body, stream, requestId, signal, timeoutMs, upstreamKey } = options
  const finish = pool.start(upstream)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException('no answer in time', 'TimeoutError')), timeoutMs)
  try {
    const response = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
        'x-request-id': requestId,
        ...(upstreamKey !== undefined && { authorization: `Bearer ${upstreamKey}` }),
      },
      body,
      signal: AbortSignal.any([signal, controller.signal]),
    })
    const { status } = response
    if (status === 429 || status >= 500) {
      const error = refusal(errorFromBody(status, await response.text().catch(() => '')))
      const wait = retryAfterMs(response.headers)
      if (wait !== undefined && (status === 429 || status === 503)) pool.busy(upstream, Date.now() + wait)
      else pool.failed(upstream, Date.now())
      finish()
      return { ok: false, error, retryAfterMs: wait, hard: wait === undefined }
    }
    if (!stream || status < 200 || status >= 300 || response.body === null) {
      const text = await response.text()
      pool.succeeded(upstream)
      finish()
      const contentType = response.headers.get('content-type') ?? 'application/json'
      return { ok: true, value: { kind: 'body', upstream, attempts, status, contentType, text } }
    }
    const reader = response.body.getReader()
    const first = await reader.read()
    if (first.done) {
      pool.failed(upstream, Date.now())
      finish()
      return { ok: false, error: new TandemError('upstream_error', 'the upstream closed the stream before its first byte'), retryAfterMs: undefined, hard: true }
    }
    pool.succeeded(upstream)
    const abort = (reason?: unknown) => controller.abort(reason)
    return { ok: true, value: { kind: 'stream', upstream, attempts, status, reader, first: first.value, abort, finish } }
  } catch (error) {
    finish()
    if (signal.aborted) throw new TandemError('aborted', 'the client closed the request')
    pool.failed(upstream, Date.now())
    const failure = controller.signal.aborted
      ? new TandemError('timeout', 'no upstream answered in time', { cause: error })
      : new TandemError('upstream_unavailable', 'no upstream could be reached', { cause: error })
    return { ok: false, error: failure, retryAfterMs: undefined, hard: true }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Sends a chat request to the pool. Until the first byte of an answer, a connect error,
 * timeout, 5xx or 429 moves the request to another upstream, at most twice, and an
 * upstream that asked for time (Retry-After) gets none before then: it is waited for
 * only if nothing else is left and the wait is short. With no upstream ever seen ready
 * nothing is sent, and the failure asks the client to come back. Throws only if the client aborts.
 */
export async function forwardChat(options: ForwardOptions): Promise<ForwardResult> {
  const { pool, signal, maxRetryWaitMs, log, requestId } = options
  const excluded = new Set<Upstream>()
  let last: { error: TandemError; retryAfterMs: number | undefined } | undefined
  let attempts = 0
  while (attempts < MAX_ATTEMPTS) {
    const choice = pool.pick(excluded, Date.now())
    if (choice === undefined) {
      if (attempts === 0) last = { error: new TandemError('upstream_unavailable', 'no upstream is ready yet'), retryAfterMs: NOT_READY_RETRY_MS }
      break
    }
    if (choice.waitMs > 0) {
      if (choice.waitMs > maxRetryWaitMs) {
        last = { error: last?.error ?? new TandemError('upstream_unavailable', 'every upstream is busy'), retryAfterMs: choice.waitMs }
        break
      }
      try {
        await sleep(choice.waitMs, signal)
      } catch {
        throw new TandemError('aborted', 'the client closed the request')
      }
    }
    attempts++
    const result = await attempt(choice.upstream, options, attempts)
    if (result.ok) return result.value
    log.warn('upstream attempt failed', { request_id: requestId, upstream: choice.upstream.name, attempt: attempts, code: result.error.code })
    last = { error: result.error, retryAfterMs: result.retryAfterMs }
    if (result.hard) excluded.add(choice.upstream)
  }
  const error = last?.error ?? new TandemError('upstream_unavailable', 'no upstream could take the request')
  return { kind: 'failed', error, attempts, retryAfterMs: last?.retryAfterMs }
}

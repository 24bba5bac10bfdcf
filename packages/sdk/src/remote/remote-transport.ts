import { TandemError, decodeChatStream, errorFromResponse, retryAfterMs, sleep, toTandemError, type ChatRequest, type ChatStreamPart } from '@tandem/protocol'
import type { Transport } from '../transport.ts'
import { cachedModelList, readModelList } from './model-list.ts'

export type Credentials =
  | { apiKey: string }
  /** Browser tokens: called before the first request, and with `refresh: true` once after a 401. */
  | { getToken: (options: { refresh: boolean }) => string | Promise<string> }

export type RemoteOptions = Credentials & {
  /** The gateway's (or a native-server's) OpenAI base URL, e.g. `https://edge.example.com/v1`. */
  baseURL: string
  /** Retries before the first chunk, on network errors, 503, and 429 with Retry-After. */
  maxRetries?: number
  /** Longest wait a `Retry-After` may ask for; a longer one fails at once. */
  maxRetryDelayMs?: number
  fetch?: typeof fetch
}

/** The remote route, which can also say what it serves. */
export interface RemoteTransport extends Transport {
  readonly route: 'remote'
  /** The model ids the gateway lists for this credential (`GET /models`), kept a minute and shared by concurrent callers. */
  models(): Promise<readonly string[]>
}

const RETRYABLE_STATUS = new Set([429, 503])
const BACKOFF_MS = [250, 1000, 2000]

/** What one remote transport keeps: its resolved options, and the token `getToken` last gave. */
interface RemoteState {
  readonly options: RemoteOptions
  readonly fetchImpl: typeof fetch
  readonly base: string
  readonly url: string
  readonly maxRetries: number
  readonly maxRetryDelayMs: number
  token?: string
}

/** The remote route: fetch + the SSE decoder, with credentials, bounded retries before the first byte, and abort. */
export function createRemoteTransport(options: RemoteOptions): RemoteTransport {
  const { baseURL, maxRetries = 2, maxRetryDelayMs = 10_000 } = options
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  const base = baseURL.replace(/\/+$/, '')
  const remote: RemoteState = { options, fetchImpl, base, url: `${base}/chat/completions`, maxRetries, maxRetryDelayMs }
  return {
    route: 'remote',
    models: () => models(remote),
    stream: (request, signal) => streamRemote(remote, request, signal),
  }
}

async function* streamRemote(remote: RemoteState, request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamPart> {
  let response: Response
  try {
    response = await open(remote, request, signal)
  } catch (error) {
    yield { type: 'error', error: toTandemError(error) }
    return
  }
  if (!response.body) {
    yield { type: 'error', error: new TandemError('upstream_error', 'the server answered without a body') }
    return
  }
  yield* decodeChatStream(response.body)
}

async function models(remote: RemoteState): Promise<readonly string[]> {
  const credential = await authorization(remote)
  return cachedModelList(`${remote.base}/models ${credential}`, () => readModelList(remote.fetchImpl, `${remote.base}/models`, credential))
}

async function authorization(remote: RemoteState): Promise<string> {
  const { options } = remote
  if ('apiKey' in options) return `Bearer ${options.apiKey}`
  remote.token ??= await options.getToken({ refresh: false })
  return `Bearer ${remote.token}`
}

async function open(remote: RemoteState, request: ChatRequest, signal: AbortSignal): Promise<Response> {
  // fetchImpl is called unbound: a page's own `fetch` throws when called as another object's method.
  const { options, fetchImpl, url, maxRetries, maxRetryDelayMs } = remote
  const body = JSON.stringify({ ...request, stream: true })
  let refreshed = false
  for (let attempt = 0; ; attempt++) {
    let response: Response
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: await authorization(remote) },
        body,
        signal,
      })
    } catch (error) {
      if (signal.aborted) throw new TandemError('aborted', 'the request was aborted', { cause: error })
      const failure = new TandemError('network', `could not reach ${new URL(url).origin}: ${(error as Error).message ?? error}`, { cause: error })
      if (attempt >= maxRetries) throw failure
      await wait(BACKOFF_MS[attempt] ?? 2000, signal)
      continue
    }
    if (response.ok) return response

    const failure = await errorFromResponse(response)
    if (response.status === 401 && 'getToken' in options && !refreshed) {
      refreshed = true
      remote.token = await options.getToken({ refresh: true })
      attempt--
      continue
    }
    if (!RETRYABLE_STATUS.has(response.status) || attempt >= maxRetries) throw failure
    const asked = retryAfterMs(response.headers)
    // The gateway sends a 429 without Retry-After only for a request that can never pass its limit.
    if (response.status === 429 && asked === undefined) throw failure
    const delay = asked ?? BACKOFF_MS[attempt] ?? 2000
    if (delay > maxRetryDelayMs) throw failure
    await wait(delay, signal)
  }
}

/** Whatever the caller's abort reason, the stream reports an abort. */
async function wait(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, signal).catch(() => {
    throw new TandemError('aborted', 'the request was aborted')
  })
}

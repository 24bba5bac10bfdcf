import { TandemError, type TandemErrorCode } from '@tandem/protocol'

/** The message of anything thrown or rejected: engines reject with Errors, plain strings (web-llm through a worker) or objects. */
export function messageOf(failure: unknown): string {
  if (typeof failure === 'string') return failure
  if (failure instanceof Error) return failure.message || failure.name
  if (typeof failure === 'object' && failure !== null && typeof (failure as { message?: unknown }).message === 'string') return (failure as { message: string }).message
  return String(failure)
}

export function isAbort(failure: unknown): boolean {
  const name = typeof failure === 'object' && failure !== null ? (failure as { name?: unknown }).name : undefined
  return name === 'AbortError' || name === 'WllamaAbortError'
}

// Ordered: the first pattern that matches names the failure. Engines phrase these freely, so
// match words, not exact messages; whatever matches nothing is `local_unavailable`.
const PATTERNS: Array<[RegExp, TandemErrorCode]> = [
  [/quota|QuotaExceeded|no space/i, 'quota'],
  [/failed to fetch|networkerror|network error|load failed|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION/i, 'network'],
  [/\b404\b|not found/i, 'not_found'],
  [/context (size|length|window)|kv.?cache.?(is )?full|exceeds the context/i, 'context_length_exceeded'],
]

/**
 * Turns whatever an engine threw into a TandemError that names the engine and keeps its words.
 * The page, not a remote client, reads these, so the engine's message is kept (it is no secret).
 */
export function engineError(engine: string, failure: unknown, fallback: TandemErrorCode = 'local_unavailable'): TandemError {
  if (TandemError.isInstance(failure)) return failure
  if (isAbort(failure)) return new TandemError('aborted', 'the request was aborted', { cause: failure })
  const message = messageOf(failure)
  // The name too: a DOMException's message varies by browser, its name (QuotaExceededError) does not.
  const name = failure instanceof Error ? failure.name : ''
  const code = PATTERNS.find(([pattern]) => pattern.test(message) || pattern.test(name))?.[1] ?? fallback
  return new TandemError(code, `${engine}: ${message}`, { cause: failure })
}

import { TandemError, errorFromResponse, modelListSchema, parseWith } from '@tandem/protocol'

/** A gateway's list changes with its configuration, rarely within a minute. */
export const MODEL_LIST_MAX_AGE_MS = 60_000
/** The list only informs the plan: a gateway slower than this is planned around, not waited for. */
const READ_TIMEOUT_MS = 10_000

interface Kept {
  at: number
  ids: Promise<readonly string[]>
}

// Shared by every client in this page or process: a page may make many clients for one gateway.
const kept = new Map<string, Kept>()

/**
 * The ids `read` returns, kept per `key` (the gateway's URL and credential: the list is what that
 * credential may use) for `maxAgeMs`. Callers asking while a read is under way share it; a failed
 * read is not kept, so the next caller reads again.
 */
export function cachedModelList(key: string, read: () => Promise<readonly string[]>, { now = Date.now(), maxAgeMs = MODEL_LIST_MAX_AGE_MS } = {}): Promise<readonly string[]> {
  for (const [other, entry] of kept) if (now - entry.at >= maxAgeMs) kept.delete(other)
  const found = kept.get(key)
  if (found) return found.ids
  const entry: Kept = { at: now, ids: read() }
  kept.set(key, entry)
  entry.ids.catch(() => {
    if (kept.get(key) === entry) kept.delete(key)
  })
  return entry.ids
}

/** One `GET /models`, no retries: the model ids a gateway (or native-server) serves to this credential. */
export async function readModelList(fetchImpl: typeof fetch, url: string, authorization: string): Promise<readonly string[]> {
  let response: Response
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json', authorization }, signal: AbortSignal.timeout(READ_TIMEOUT_MS) })
  } catch (error) {
    throw new TandemError('network', `could not reach ${new URL(url).origin}: ${(error as Error).message ?? error}`, { cause: error })
  }
  if (!response.ok) throw await errorFromResponse(response)
  const list = parseWith(modelListSchema, await response.json().catch(() => undefined), `${url}: the model list`, 'upstream_error')
  if (!list.ok) throw list.error
  return list.value.data.map((model) => model.id)
}

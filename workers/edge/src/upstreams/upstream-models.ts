import { modelListSchema, type Model } from '@tandem/protocol'
import type { UpstreamFetch } from './upstream-fetch.ts'

/** What an upstream's `GET /v1/models` said of one model. */
export type UpstreamModel = Pick<Model, 'created' | 'max_model_len' | 'prompt_bound'>

/** An upstream's models by id, or undefined when it did not answer with a list. */
export async function fetchUpstreamModels(
  fetch: UpstreamFetch,
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
): Promise<ReadonlyMap<string, UpstreamModel> | undefined> {
  try {
    const response = await fetch(`${url}/v1/models`, { method: 'GET', ...init })
    const text = await response.text()
    if (response.status !== 200) return undefined
    const list = modelListSchema.safeParse(JSON.parse(text))
    if (!list.success) return undefined
    return new Map(list.data.data.map(({ id, created, max_model_len, prompt_bound }) => [id, { created, max_model_len, prompt_bound }]))
  } catch {
    return undefined
  }
}

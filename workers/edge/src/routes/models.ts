import type { Context } from 'hono'
import type { Model, ModelList } from '@tandem/protocol'
import { mayUseModel } from '../auth/index.ts'
import type { GatewayEnv } from '../http/gateway-env.ts'
import type { Upstream } from '../upstreams/upstream-pool.ts'
import type { GatewayParts } from './gateway-parts.ts'

/** A model's `created` while no upstream has said: Grok-2's announcement, 2024-08-13 (UTC). The same on every call and instance. */
export const UNKNOWN_CREATED = 1_723_507_200

/** What the upstreams said of a model: the earliest `created` and the largest context. */
function describe(id: string, upstreams: readonly Upstream[]): Model {
  let created: number | undefined
  let context: number | undefined
  for (const upstream of upstreams) {
    const model = upstream.models?.get(id)
    if (model === undefined) continue
    if (model.created > 0) created = Math.min(created ?? model.created, model.created)
    if (model.max_model_len != null) context = Math.max(context ?? 0, model.max_model_len)
  }
  return { id, object: 'model', created: created ?? UNKNOWN_CREATED, owned_by: 'tandem', ...(context !== undefined && { max_model_len: context }) }
}

/** `GET /v1/models`: the configured models this credential may use, with their times and contexts as the upstreams report them. */
export function models({ config, pool }: Pick<GatewayParts, 'config' | 'pool'>) {
  return function models(c: Context<GatewayEnv>): Response {
    const principal = c.get('principal')
    const list: ModelList = {
      object: 'list',
      data: config.models.filter((id) => mayUseModel(principal, id)).map((id) => describe(id, pool.upstreams)),
    }
    return c.json(list)
  }
}

import type { Context } from 'hono'
import type { ModelList } from '@tandem/protocol'
import { mayUseModel } from '../auth/index.ts'
import type { GatewayEnv } from '../http/gateway-env.ts'
import type { GatewayParts } from './gateway-parts.ts'

/** `GET /v1/models`: the configured models this credential may use. */
export function models({ config }: Pick<GatewayParts, 'config'>) {
  return function models(c: Context<GatewayEnv>): Response {
    const principal = c.get('principal')
    const list: ModelList = {
      object: 'list',
      data: config.models.filter((id) => mayUseModel(principal, id)).map((id) => ({ id, object: 'model', created: 0, owned_by: 'tandem' })),
    }
    return c.json(list)
  }
}

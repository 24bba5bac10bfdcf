import type { Principal } from '../auth/index.ts'
import type { LogFields } from '@tandem/protocol'

/** Hono's typing of what a request carries through the gateway's middleware. */
export interface GatewayEnv {
  Variables: {
    requestId: string
    /** Set by `authenticate` on every /v1 route. */
    principal: Principal
    /** Fields the access log line adds: ids, counts and codes only. */
    logFields: LogFields
  }
}

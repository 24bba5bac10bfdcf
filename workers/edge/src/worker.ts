// The Workers entry, named by the root wrangler.toml.
import { TandemError } from '@tandem/protocol'
import type { DurableObjectNamespace, WorkersExecutionContext } from './adapter/workers/durable-object-namespace.ts'
import { DurableRateLimiter, type RateLimiterStub } from './adapter/workers/durable-rate-limiter.ts'
import { gatewayForEnv } from './gateway-for-env.ts'

export { RateLimiterObject } from './adapter/workers/rate-limiter-object.ts'

interface WorkerEnv {
  readonly RATE_LIMITER?: DurableObjectNamespace<RateLimiterStub>
}

const gatewayFor = gatewayForEnv<WorkerEnv>({
  limiter(env) {
    if (env.RATE_LIMITER === undefined) {
      throw new TandemError('internal', 'gateway configuration: RATE_LIMITER: the Durable Object binding is missing (see wrangler.toml)')
    }
    return new DurableRateLimiter(env.RATE_LIMITER)
  },
})

export default {
  fetch(request: Request, env: WorkerEnv, ctx: WorkersExecutionContext): Response | Promise<Response> {
    return gatewayFor(env).fetch(request, env, ctx)
  },
}

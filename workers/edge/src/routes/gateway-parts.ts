import type { GatewayConfig } from '../config/index.ts'
import type { Logger } from '@tandem/protocol'
import type { ConcurrencyLimiter, RateLimiter } from '../limits/index.ts'
import type { HealthChecker } from '../upstreams/health-checker.ts'
import type { UpstreamFetch } from '../upstreams/upstream-fetch.ts'
import type { UpstreamPool } from '../upstreams/upstream-pool.ts'

/** What the routes share: built once per configuration. */
export interface GatewayParts {
  readonly config: GatewayConfig
  readonly limiter: RateLimiter
  readonly concurrency: ConcurrencyLimiter
  readonly pool: UpstreamPool
  readonly health: HealthChecker
  readonly fetch: UpstreamFetch
  readonly log: Logger
}

export { withFailover } from './failover.ts'

export type { FailoverOptions, RouteChange } from './failover.ts'

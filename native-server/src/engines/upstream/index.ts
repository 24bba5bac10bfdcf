export { UpstreamEngine } from './upstream.ts'
export type { UpstreamOptions } from './upstream.ts'

import { defineConfig } from 'tsdown'
import { base } from '../../tsdown.base.ts'

// index: the Hono app to mount anywhere; worker: the Cloudflare Workers entry (with its Durable Object); node: the Node entry.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/worker.ts', 'src/node.ts'] })

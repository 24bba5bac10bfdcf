// The floor for a Hono gateway in Node: the app on @hono/node-server with one route that forwards through
// the Node entry's node:http client, nothing checked. `node --conditions=@tandem/source bench/hono-floor.ts <upstream URL>`.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { createHttpFetch } from '../workers/edge/src/adapter/node/http-fetch.ts'

const upstream = process.argv[2]!
const httpFetch = createHttpFetch()
const app = new Hono()
app.post('/v1/chat/completions', async (c) => {
  const answer = await httpFetch(`${upstream}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await c.req.text() })
  const type = answer.headers.get('content-type') ?? 'application/json'
  // Streams pass through; a whole body is read and sent at once, as the gateway does.
  return new Response(type.startsWith('text/event-stream') ? answer.body : await answer.text(), { status: answer.status, headers: { 'content-type': type } })
})
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => console.log(`listening on http://127.0.0.1:${info.port}`))
process.once('SIGTERM', () => process.exit(0))

import { Hono } from 'hono'
import { errorResponse, redactPath, REQUEST_ID_HEADER, requestIdFor, RETRY_AFTER_SECONDS, TandemError, type ModelList } from '@tandem/protocol'
import { apiKeyAuth, type ApiKeyAuthOptions } from './api-key-auth.ts'
import { chatCompletions, type ChatCompletionsOptions } from './chat-completions.ts'

/** Without keys every route is open (loopback: the server refuses to listen beyond it without one). */
export type AppOptions = ChatCompletionsOptions & Partial<ApiKeyAuthOptions>

/** The server's routes, on web-standard Request and Response: any runtime Hono runs on can serve it. */
export function createApp(options: AppOptions): Hono<{ Variables: { requestId: string } }> {
  const { engine, metrics, logger, shutdown } = options
  const handleChat = chatCompletions(options)
  const app = new Hono<{ Variables: { requestId: string } }>()

  app.use(async function requestId(c, next) {
    c.set('requestId', requestIdFor(c.req.header(REQUEST_ID_HEADER)))
    await next()
    c.res.headers.set(REQUEST_ID_HEADER, c.get('requestId'))
    // While draining, no connection should be kept for another request.
    if (shutdown.draining) c.res.headers.set('connection', 'close')
  })

  app.use(apiKeyAuth({ apiKey: options.apiKey ?? [], metricsAuth: options.metricsAuth ?? 'api-key' }))

  app.get('/healthz', (c) => c.json({ status: 'ok' }))

  app.get('/readyz', (c) => {
    const stats = engine.stats()
    const reason = shutdown.draining ? 'shutting down' : !stats.ready ? 'not loaded' : stats.full ? 'queue full' : undefined
    if (reason) return c.json({ status: 'unavailable', reason }, 503, { 'retry-after': String(RETRY_AFTER_SECONDS) })
    return c.json({ status: 'ready', active: stats.active, queued: stats.queued })
  })

  app.get('/metrics', async () => new Response(await metrics.render(), { headers: { 'content-type': metrics.contentType } }))

  app.get('/v1/models', (c) => {
    const list: ModelList = {
      object: 'list',
      data: engine.models().map((m) => ({
        id: m.id,
        object: 'model',
        created: m.created,
        owned_by: m.ownedBy,
        ...(m.maxModelLen !== undefined && { max_model_len: m.maxModelLen }),
        ...(m.promptBound !== undefined && { prompt_bound: m.promptBound }),
      })),
    }
    return c.json(list)
  })

  app.post('/v1/chat/completions', (c) => handleChat(c.req.raw, c.get('requestId')))

  app.notFound((c) => errorResponse(new TandemError('not_found', `no route ${c.req.method} ${redactPath(new URL(c.req.url).pathname)}`)))

  app.onError((error, c) => {
    logger.error('unhandled error', { error, path: redactPath(new URL(c.req.url).pathname) })
    return errorResponse(error)
  })

  return app
}

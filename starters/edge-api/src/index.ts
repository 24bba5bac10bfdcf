import { createTandem, TandemError } from '@tandem/sdk'

interface Env {
  TANDEM_GATEWAY: string
  TANDEM_API_KEY: string
  TANDEM_MODEL: string
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url)
    if (pathname !== '/chat') return Response.json({ error: { message: 'POST /chat with { "messages": [...] }' } }, { status: 404 })
    if (request.method !== 'POST') return Response.json({ error: { message: 'POST only' } }, { status: 405, headers: { allow: 'POST' } })
    const body: unknown = await request.json().catch(() => undefined)
    const messages = typeof body === 'object' && body !== null && 'messages' in body ? body.messages : undefined

    const tandem = createTandem({ model: env.TANDEM_MODEL, route: 'remote-only', remote: { baseURL: env.TANDEM_GATEWAY, apiKey: env.TANDEM_API_KEY } })
    try {
      // The SDK checks `messages` (and says which field is wrong); a client that leaves aborts the upstream stream.
      const stream = await tandem.chat.completions.create({ messages: messages as never, stream: true, signal: request.signal })
      return new Response(stream.toReadableStream(), { headers: { 'content-type': 'text/event-stream', 'x-tandem-route': stream.route } })
    } catch (error) {
      if (!TandemError.isInstance(error)) throw error
      return Response.json({ error: { message: error.message, code: error.code } }, { status: error.status })
    }
  },
}

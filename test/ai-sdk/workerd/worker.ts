// @tandem/ai-sdk inside workerd: POST { prompt, maxOutputTokens } to `/stream` for streamText's text stream (the route
// in a header), or to `/generate` for generateText's text, finish reason, usage and providerMetadata as JSON.
import { createTandemProvider } from '@tandem/ai-sdk'
import { generateText, streamText } from 'ai'

interface Env {
  /** The gateway's (or a native-server's) OpenAI base URL. */
  readonly BASE_URL: string
  readonly API_KEY: string
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const tandem = createTandemProvider({ model: 'grok-2-tiny', remote: { baseURL: env.BASE_URL, apiKey: env.API_KEY } })
    const { prompt, maxOutputTokens } = (await request.json()) as { prompt: string; maxOutputTokens: number }
    const call = { model: tandem('grok-2-tiny'), prompt, maxOutputTokens, temperature: 0, maxRetries: 0, providerOptions: { tandem: { ignoreEos: true } } }
    if (new URL(request.url).pathname === '/stream') return streamText(call).toTextStreamResponse()
    const { text, finishReason, usage, providerMetadata } = await generateText(call)
    return Response.json({ text, finishReason, outputTokens: usage.outputTokens, providerMetadata })
  },
}

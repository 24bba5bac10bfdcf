// @tandem/sdk inside workerd: POST a chat request (without `stream`), get back what the SDK's stream showed, as JSON.
import { createTandem, type CreateParams } from '@tandem/sdk'
import { observeStream } from '../observe.ts'

interface Env {
  /** The gateway's (or a native-server's) OpenAI base URL. */
  readonly BASE_URL: string
  readonly API_KEY: string
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const tandem = createTandem({
      model: 'grok-2-tiny',
      remote: { baseURL: env.BASE_URL, apiKey: env.API_KEY },
      // A local runtime is configured so the planner has to look at this runtime, and find no Web Worker.
      local: {
        worker: () => {
          throw new Error('workerd has no Web Worker')
        },
      },
    })
    const params = (await request.json()) as CreateParams
    return Response.json(await observeStream(tandem, params))
  },
}

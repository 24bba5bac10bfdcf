import { createTandemProvider, TandemChatTransport } from '@tandem/ai-sdk'
import { startLocalWorker } from '@tandem/local-worker'

type RouteMode = NonNullable<Parameters<typeof createTandemProvider>[0]['route']>

// The model runs in a Web Worker on this device when the planner says it can; with a gateway set, it answers
// through the gateway otherwise (and continues there if the device fails mid-answer). No server route of your own.
const gateway = import.meta.env.VITE_TANDEM_GATEWAY
const publishableKey = import.meta.env.VITE_TANDEM_PUBLISHABLE_KEY
// `?route=remote-only` (or local-only, prefer-remote) tries one route; the planner chooses otherwise.
// createTandemProvider checks it, and names `route` when it is not one of the four modes.
const route = (new URLSearchParams(location.search).get('route') ?? (gateway ? 'prefer-local' : 'local-only')) as RouteMode

const tandem = createTandemProvider({
  model: 'grok-2-tiny',
  route,
  local: { worker: startLocalWorker, modelsURL: import.meta.env.VITE_TANDEM_MODELS_URL ?? '/models/' },
  ...(gateway && publishableKey ? { remote: { baseURL: gateway, apiKey: publishableKey } } : {}),
})

export const transport = new TandemChatTransport({ model: tandem('grok-2-tiny'), settings: { maxOutputTokens: 200 } })

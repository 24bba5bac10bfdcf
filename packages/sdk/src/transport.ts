import type { ChatRequest, ChatStreamPart } from '@tandem/protocol'

export type Route = 'local' | 'remote'

/**
 * A way to run a chat: the remote gateway, or the model in a local worker. A new route is one
 * implementation of this. Errors travel as parts; the iterable ends after `done` or an error.
 */
export interface Transport {
  readonly route: Route
  stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamPart>
}

import { minPromptTokens, TandemError, type ChatRequest } from '@tandem/protocol'
import type { Upstream } from './upstream-pool.ts'

/**
 * Refuses, before any upstream, a prompt that certainly cannot fit the model's context on any
 * upstream that could take it: 400 `context_length_exceeded` naming `messages`. Each upstream's
 * `/v1/models` gives the model's context (`max_model_len`) and a lower bound of the prompt's tokens
 * (`prompt_bound`); where any of them is unknown nothing is refused, so a prompt that would fit
 * somewhere always goes on.
 */
export function checkPromptFits(upstreams: readonly Upstream[], request: Pick<ChatRequest, 'model' | 'messages'>): void {
  let widest: { atLeast: number; context: number } | undefined
  for (const upstream of upstreams) {
    if (!upstream.seenReady) continue
    const model = upstream.models?.get(request.model)
    if (model?.max_model_len == null || model.prompt_bound == null) return
    const atLeast = minPromptTokens(request.messages, model.prompt_bound)
    if (atLeast < model.max_model_len) return
    if (widest === undefined || model.max_model_len > widest.context) widest = { atLeast, context: model.max_model_len }
  }
  if (widest === undefined) return
  throw new TandemError('context_length_exceeded', `messages: the prompt is at least ${widest.atLeast} tokens, and this model's context holds ${widest.context}`, {
    param: 'messages',
  })
}

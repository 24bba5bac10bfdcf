import { contentText, DeliveredTokens, effectiveMaxTokens, type ChatCompletionChunk, type ChatRequest, type TandemRoute } from '@tandem/protocol'

/** What the failed route had already streamed to the caller. */
export interface Produced {
  readonly text: string
  /** Completion tokens, not chunks: a chunk may hold many. */
  readonly tokens: number
}

/** A route's answer so far, chunk by chunk: its text, and its tokens counted by the one rule of `DeliveredTokens`. */
export class ProducedSoFar implements Produced {
  text = ''
  readonly #delivered = new DeliveredTokens()

  add(chunk: ChatCompletionChunk): void {
    this.#delivered.see(chunk)
    for (const choice of chunk.choices) if (choice.delta.content) this.text += choice.delta.content
  }

  get tokens(): number {
    return this.#delivered.completionTokens
  }
}

/**
 * The request that continues an interrupted answer elsewhere: the same conversation, with the
 * text produced so far as an assistant prefix (`prefix: true`), merged into the caller's own
 * prefix if the request already ended with one. The token budget shrinks by what was produced.
 */
export function continuationRequest(request: ChatRequest, produced: Produced): ChatRequest {
  const last = request.messages.at(-1)
  const ownPrefix = last?.role === 'assistant' && last.prefix === true
  if (produced.text === '' && produced.tokens === 0) return request
  const messages: ChatRequest['messages'] = ownPrefix
    ? [...request.messages.slice(0, -1), { role: 'assistant', content: contentText(last.content) + produced.text, prefix: true }]
    : [...request.messages, { role: 'assistant', content: produced.text, prefix: true }]
  const budget = effectiveMaxTokens(request)
  const remaining = budget === undefined ? undefined : Math.max(1, budget - produced.tokens)
  return {
    ...request,
    messages,
    ...(request.max_completion_tokens != null ? { max_completion_tokens: remaining } : {}),
    ...(request.max_tokens != null ? { max_tokens: remaining } : {}),
  }
}

/**
 * Makes the continuation's chunks read as the rest of the first answer: the first route's id and
 * creation time, no second `role` delta, the new route on every chunk, and usage that counts the
 * tokens produced before the switch.
 */
export function continueChunk(chunk: ChatCompletionChunk, first: Pick<ChatCompletionChunk, 'id' | 'created'> | undefined, produced: Produced, route: TandemRoute): ChatCompletionChunk {
  const choices = chunk.choices.map((choice) => {
    if (!first || choice.delta.role === undefined) return choice
    const { role: _role, ...delta } = choice.delta
    return { ...choice, delta }
  })
  const usage = chunk.usage && {
    prompt_tokens: chunk.usage.prompt_tokens,
    completion_tokens: chunk.usage.completion_tokens + produced.tokens,
    total_tokens: chunk.usage.total_tokens + produced.tokens,
  }
  return { ...chunk, ...(first ? { id: first.id, created: first.created } : {}), choices, ...(usage ? { usage } : {}), tandem: route }
}

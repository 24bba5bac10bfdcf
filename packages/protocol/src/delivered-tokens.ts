/** What `DeliveredTokens` reads of a chunk: parsed from the wire, typed or not. */
export interface CountedChunk {
  readonly choices?: ReadonlyArray<{ readonly delta?: { readonly content?: string | null; readonly tool_calls?: readonly unknown[] | null } | null }> | null
  /** A running count (vLLM's `continuous_usage_stats`) or the final usage chunk. */
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number } | null
  /** llama.cpp's `timings_per_token`: running counts on every chunk (native-server sends them when asked). */
  readonly timings?: { readonly prompt_n?: number; readonly predicted_n?: number } | null
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined)

/**
 * The completion tokens a stream has delivered so far, for whoever must account for a stream
 * that stopped early (the gateway's charge, the SDK's failover). One rule: the running count of
 * the latest chunk that carries one (`usage.completion_tokens`, else llama.cpp's
 * `timings.predicted_n`), plus one for each chunk with text or a tool call since. A server that
 * joins tokens into one chunk (native-server does, every 16 ms) must send running counts; one that
 * sends a chunk per token is counted right without them.
 */
export class DeliveredTokens {
  #running = 0
  #since = 0
  #prompt: number | undefined

  see(chunk: CountedChunk): void {
    const running = count(chunk.usage?.completion_tokens) ?? count(chunk.timings?.predicted_n)
    this.#prompt = count(chunk.usage?.prompt_tokens) ?? count(chunk.timings?.prompt_n) ?? this.#prompt
    if (running !== undefined) {
      this.#running = running
      this.#since = 0
      return
    }
    if (chunk.choices?.some((choice) => !!choice.delta?.content || (choice.delta?.tool_calls?.length ?? 0) > 0)) this.#since++
  }

  get completionTokens(): number {
    return this.#running + this.#since
  }

  /** The prompt's tokens, once a chunk has said. */
  get promptTokens(): number | undefined {
    return this.#prompt
  }
}

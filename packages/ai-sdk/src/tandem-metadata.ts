import type { JSONObject } from '@ai-sdk/provider'
import type { ChatCompletionChunk } from '@tandem/protocol'
import type { ChatStream } from '@tandem/sdk'

/**
 * What `providerMetadata.tandem` says about one answer: the route that finished it, the planner's
 * choice and reasons, and the failover when the answer moved routes midway (null when it did not).
 */
export class RouteRecord {
  #stream: ChatStream
  #failover: { from: string; to: string; reason: string | null } | null = null

  constructor(stream: ChatStream) {
    this.#stream = stream
  }

  /** A chunk from the second route says so, with the reason, in its `tandem` field. */
  observe(chunk: ChatCompletionChunk): void {
    const planned = this.#stream.plan.route
    if (!this.#failover && chunk.tandem && chunk.tandem.route !== planned) {
      this.#failover = { from: planned, to: chunk.tandem.route, reason: chunk.tandem.reason ?? null }
    }
  }

  toJSON(): JSONObject {
    const { plan } = this.#stream
    return {
      route: this.#stream.route,
      plan: { route: plan.route, reasons: plan.reasons, local: plan.local ? { ...plan.local } : null },
      failover: this.#failover,
    }
  }
}

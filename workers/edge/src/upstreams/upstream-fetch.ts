export interface UpstreamRequest {
  readonly method: 'GET' | 'POST'
  readonly headers: Record<string, string>
  readonly body?: string
  readonly signal?: AbortSignal
}

/** What the gateway reads of an upstream's answer: a web `Response` is one. */
export interface UpstreamResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: ReadableStream<Uint8Array> | null
  text(): Promise<string>
}

/**
 * How the gateway speaks HTTP to native-servers: a subset of `fetch`, so the runtime's
 * fastest client can stand in (Workers' fetch; node:http in the Node entry). A failure
 * before the response rejects; one after it errors the body.
 */
export type UpstreamFetch = (url: string, request: UpstreamRequest) => Promise<UpstreamResponse>

export const webFetch: UpstreamFetch = (url, request) => fetch(url, request)

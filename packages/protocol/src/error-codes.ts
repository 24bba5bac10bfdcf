interface CodeInfo {
  readonly status: number
  /** The `type` field of the OpenAI error envelope. */
  readonly type: string
  readonly retryable: boolean
}

/**
 * Every error Tandem reports has one of these codes. The status is what a server
 * answers with; the type is what OpenAI clients switch on.
 */
const codes = {
  invalid_request: { status: 400, type: 'invalid_request_error', retryable: false },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false },
  unsupported: { status: 400, type: 'invalid_request_error', retryable: false },
  unauthorized: { status: 401, type: 'authentication_error', retryable: false },
  forbidden: { status: 403, type: 'permission_error', retryable: false },
  // A known publishable key (or a token) from a page whose origin it does not list: the one refusal a page may read.
  origin_not_allowed: { status: 403, type: 'permission_error', retryable: false },
  not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  payload_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  quota: { status: 429, type: 'insufficient_quota', retryable: false },
  // 499 is nginx's "client closed request": the caller gave up, nothing failed.
  aborted: { status: 499, type: 'invalid_request_error', retryable: false },
  internal: { status: 500, type: 'server_error', retryable: false },
  upstream_error: { status: 502, type: 'server_error', retryable: true },
  upstream_unavailable: { status: 503, type: 'server_error', retryable: true },
  model_not_loaded: { status: 503, type: 'server_error', retryable: true },
  // A configured model still loading: a server answers it with Retry-After, never as an unknown model.
  model_loading: { status: 503, type: 'server_error', retryable: true },
  timeout: { status: 504, type: 'server_error', retryable: true },
  // Raised by clients, never sent by a server: the status is what a proxy would answer.
  network: { status: 503, type: 'server_error', retryable: true },
  local_unavailable: { status: 503, type: 'server_error', retryable: false },
  // Raised by the SDK: a route stopped while streaming a tool call, which no other route can finish.
  tool_call_interrupted: { status: 503, type: 'server_error', retryable: true },
} as const satisfies Record<string, CodeInfo>

export type TandemErrorCode = keyof typeof codes

export const tandemErrorCodes = Object.keys(codes) as TandemErrorCode[]

export function isTandemErrorCode(value: unknown): value is TandemErrorCode {
  return typeof value === 'string' && Object.hasOwn(codes, value)
}

export function httpStatusFor(code: TandemErrorCode): number {
  return codes[code].status
}

export function openAiErrorTypeFor(code: TandemErrorCode): string {
  return codes[code].type
}

export function isRetryableCode(code: TandemErrorCode): boolean {
  return codes[code].retryable
}

// Codes other OpenAI-compatible servers put in `error.code`, by their name for the same thing.
const foreignCodes: Record<string, TandemErrorCode> = {
  model_not_found: 'not_found',
  rate_limit_exceeded: 'rate_limited',
  insufficient_quota: 'quota',
  invalid_api_key: 'unauthorized',
  context_length_exceeded: 'context_length_exceeded',
}

const foreignTypes: Record<string, TandemErrorCode> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'unauthorized',
  permission_error: 'forbidden',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limited',
  insufficient_quota: 'quota',
}

/** The closest code for an HTTP status, for errors that carry nothing better. */
export function codeForStatus(status: number): TandemErrorCode {
  switch (status) {
    case 400: case 422: return 'invalid_request'
    case 401: return 'unauthorized'
    case 403: return 'forbidden'
    case 404: return 'not_found'
    case 408: case 504: return 'timeout'
    case 413: return 'payload_too_large'
    case 429: return 'rate_limited'
    case 499: return 'aborted'
    case 502: return 'upstream_error'
    case 503: return 'upstream_unavailable'
    default: return status >= 400 && status < 500 ? 'invalid_request' : 'internal'
  }
}

/**
 * Reads the code of an error another server sent: its `code` if it is ours or a known
 * alias, else its status, else its `type`, else `internal`.
 */
export function codeFromWire(code: unknown, type: unknown, status: number | undefined): TandemErrorCode {
  if (isTandemErrorCode(code)) return code
  if (typeof code === 'string' && Object.hasOwn(foreignCodes, code)) return foreignCodes[code] as TandemErrorCode
  if (status !== undefined) return codeForStatus(status)
  if (typeof type === 'string' && Object.hasOwn(foreignTypes, type)) return foreignTypes[type] as TandemErrorCode
  return 'internal'
}

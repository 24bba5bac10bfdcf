import { z } from 'zod'
import {
  codeForStatus,
  codeFromWire,
  httpStatusFor,
  isRetryableCode,
  openAiErrorTypeFor,
  type TandemErrorCode,
} from './error-codes.ts'

/**
 * The OpenAI error envelope as other servers send it: llama.cpp and vLLM put the HTTP
 * status in `code` as a number, OpenAI a string or null.
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    param: z.string().nullish(),
  }),
})

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>

/** The envelope Tandem sends: every field present, `code` one of ours or OpenAI's `model_not_found`. */
export interface TandemErrorEnvelope {
  error: { message: string; type: string; code: TandemErrorCode | 'model_not_found'; param: string | null }
}

export interface TandemErrorOptions {
  /** The request field at fault, as a path: `messages[2].content`. */
  param?: string | undefined
  /** Defaults to the code's status. */
  status?: number | undefined
  /** Defaults to the code's retryability. */
  isRetryable?: boolean | undefined
  cause?: unknown
}

const marker: unique symbol = Symbol.for('tandem.error')

export class TandemError extends Error {
  // A registered symbol, not `instanceof`: two bundles (or a bundle and a worker) have two
  // copies of this class but share the symbol registry.
  readonly [marker] = true
  override readonly name = 'TandemError'
  readonly code: TandemErrorCode
  readonly status: number
  readonly param: string | undefined
  readonly isRetryable: boolean

  constructor(code: TandemErrorCode, message: string, options: TandemErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status ?? httpStatusFor(code)
    this.param = options.param
    this.isRetryable = options.isRetryable ?? isRetryableCode(code)
  }

  static isInstance(value: unknown): value is TandemError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true
  }

  toEnvelope(): TandemErrorEnvelope {
    // An unknown model goes by OpenAI's name on the wire; every decoder reads it back as `not_found`.
    const code = this.code === 'not_found' && this.param === 'model' ? 'model_not_found' : this.code
    return {
      error: { message: this.message, type: openAiErrorTypeFor(this.code), code, param: this.param ?? null },
    }
  }

  /** Rebuilds an error that crossed a boundary as data, ours or another server's. */
  static fromEnvelope(envelope: ErrorEnvelope, status?: number): TandemError {
    const { message, type, code, param } = envelope.error
    const wireStatus = status ?? (typeof code === 'number' && code >= 400 && code < 600 ? code : undefined)
    return new TandemError(codeFromWire(code, type, wireStatus), message, { param: param ?? undefined, status: wireStatus })
  }
}

/**
 * A model the server does not serve, in OpenAI's words (404, `model_not_found` on the wire): the
 * gateway and native-server say it alike.
 */
export function modelNotFound(model: string): TandemError {
  return new TandemError('not_found', `The model \`${model}\` does not exist or you do not have access to it.`, { param: 'model' })
}

/**
 * Reads an error from parsed JSON: an envelope, or the bare `{ message, type, code }`
 * some servers send. Undefined when it is neither.
 */
export function errorFromJson(json: unknown, status?: number): TandemError | undefined {
  const envelope = errorEnvelopeSchema.safeParse(json)
  if (envelope.success) return TandemError.fromEnvelope(envelope.data, status)
  const bare = errorEnvelopeSchema.shape.error.safeParse(json)
  if (bare.success) return TandemError.fromEnvelope({ error: bare.data }, status)
  return undefined
}

/**
 * Any thrown value as a TandemError: TandemErrors pass through, aborts and timeouts keep
 * their meaning, anything else becomes `fallback` with a generic message (the original
 * stays in `cause`, out of what a client sees).
 */
export function toTandemError(error: unknown, fallback: TandemErrorCode = 'internal'): TandemError {
  if (TandemError.isInstance(error)) return error
  const name = error instanceof Error || error instanceof DOMException ? error.name : undefined
  if (name === 'AbortError') return new TandemError('aborted', 'the request was aborted', { cause: error })
  if (name === 'TimeoutError') return new TandemError('timeout', 'the request timed out', { cause: error })
  const message = fallback === 'internal' ? 'internal error' : fallback.replaceAll('_', ' ')
  return new TandemError(fallback, message, { cause: error })
}

/**
 * The error a non-2xx response carries: its envelope (ours or another server's) when the body
 * has one, else the closest code for the status. Reads the body.
 */
export async function errorFromResponse(response: Response): Promise<TandemError> {
  return errorFromBody(response.status, await response.text().catch(() => ''), response.statusText)
}

/** `errorFromResponse` for a body already read as text. */
export function errorFromBody(status: number, text: string, statusText = ''): TandemError {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const message = `the server answered ${status} ${statusText}`.trim()
  return errorFromJson(json, status) ?? new TandemError(codeForStatus(status), message, { status })
}

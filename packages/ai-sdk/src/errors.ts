import { APICallError, NoSuchModelError } from '@ai-sdk/provider'
import { toTandemError } from '@tandem/protocol'

export interface ErrorContext {
  modelId: string
  /** Where the request went: the gateway's chat URL, or `tandem:local` for the device. */
  url: string
  requestBody: unknown
  signal: AbortSignal | undefined
}

/**
 * A Tandem failure as the AI SDK's error: an unknown model is `NoSuchModelError`, an abort is the
 * signal's own reason (as `fetch` rejects), anything else `APICallError` with Tandem's `code` and
 * `param` in `data`, its status and retryability, and the TandemError as `cause`.
 */
export function toAiSdkError(error: unknown, { modelId, url, requestBody, signal }: ErrorContext): unknown {
  const tandem = toTandemError(error)
  if (tandem.code === 'aborted' || signal?.aborted) return abortReason(signal)
  if (tandem.code === 'not_found' && tandem.param === 'model') {
    return new NoSuchModelError({ modelId, modelType: 'languageModel', message: tandem.message })
  }
  return new APICallError({
    message: tandem.message,
    url,
    requestBodyValues: requestBody,
    statusCode: tandem.status,
    isRetryable: tandem.isRetryable,
    data: { code: tandem.code, param: tandem.param ?? null },
    cause: tandem,
  })
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.aborted && signal.reason !== undefined ? signal.reason : new DOMException('the request was aborted', 'AbortError')
}

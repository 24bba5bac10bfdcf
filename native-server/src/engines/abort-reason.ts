import { TandemError } from '@tandem/protocol'

/** Why a generation was stopped: the server's own reason (shutting down), or the client's abort. */
export function abortReason(signal: AbortSignal): TandemError {
  return TandemError.isInstance(signal.reason) ? signal.reason : new TandemError('aborted', 'the request was aborted')
}

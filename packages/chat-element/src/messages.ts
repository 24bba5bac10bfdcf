import { TandemError } from '@tandem/sdk'

// What a person reads when a request fails: the SDK's stable error codes in plain words.
export function describeError(error: unknown, gateway: string | null): string {
  if (!TandemError.isInstance(error)) return `The answer failed (${error instanceof Error ? error.message : String(error)}).`
  const { code, message } = error
  const detail = message ? ` (${message})` : ''
  switch (code) {
    case 'unauthorized':
      return `The gateway refused the credentials: check the publishable key or token URL${detail}.`
    case 'forbidden':
      return `These credentials may not be used here: check the key's allowed origins and models${detail}.`
    // The gateway's message names the origin and the setting that allows it.
    case 'origin_not_allowed':
      return `The gateway does not accept this page's origin: ${message}.`
    case 'network':
      return `Cannot reach the gateway${gateway ? ` at ${gateway}` : ''}: is it running, and is this page's origin allowed?${detail}`
    case 'not_found':
      return `The gateway does not serve this model${detail}.`
    case 'rate_limited':
      return `Too many requests for now; try again shortly${detail}.`
    // The local route's own failures (the worker, the models URL) and plans with no route left but this device.
    case 'local_unavailable':
      return `The local route cannot answer: ${message}.`
    case 'invalid_request':
      return `The chat is not configured correctly${detail}.`
    default:
      return `The answer failed [${code}]${detail}.`
  }
}

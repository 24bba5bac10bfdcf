// What a person reads when a request fails: the SDK's stable error codes in plain words.
export function describeError(error: unknown, gateway: string | null): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  const detail = message ? ` (${message})` : ''
  switch (code) {
    case 'unauthorized':
      return `The gateway refused the credentials: check the publishable key or token URL${detail}.`
    case 'forbidden':
      return `These credentials may not be used here: check the key's allowed origins and models${detail}.`
    case 'network':
      return `Cannot reach the gateway${gateway ? ` at ${gateway}` : ''}: is it running, and is this page's origin allowed?${detail}`
    case 'not_found':
      return `The gateway does not serve this model${detail}.`
    case 'rate_limited':
      return `Too many requests for now; try again shortly${detail}.`
    case 'local_unavailable':
      return `No route can answer: ${message ?? 'the model cannot run here and no gateway is configured'}.`
    case 'invalid_request':
      return `The chat is not configured correctly${detail}.`
    default:
      return `The answer failed${code ? ` [${code}]` : ''}${detail}.`
  }
}

/** A path segment that may be a credential: a Tandem key (`sk_…`, `pk_…`), a JWT, or any long opaque run. */
const KEY_SHAPED = /^(?:[sp]k_.*|eyJ.*|[\w.~+=%-]{24,})$/i

/**
 * A request path fit for logs and error messages: each segment shaped like a key or a token is
 * replaced by `[redacted]`. Someone will paste a key into a URL (`/v1/x/sk_live_…`); the 404 that
 * answers it, and the log line, must not carry it on.
 */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (KEY_SHAPED.test(segment) ? '[redacted]' : segment))
    .join('/')
}

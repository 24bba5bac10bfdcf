export const REQUEST_ID_HEADER = 'x-request-id'

const GIVEN = /^[\w.:=-]{1,128}$/

/**
 * The request id both servers use and pass on: the caller's `x-request-id` when it is 1–128 word
 * characters or `.:=-` (safe in logs and headers), else a fresh UUID. The gateway forwards its id
 * to native-server, which keeps it under the same rule, so one id names a request end to end.
 */
export function requestIdFor(given: string | null | undefined): string {
  return given && GIVEN.test(given) ? given : crypto.randomUUID()
}

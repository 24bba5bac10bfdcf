import { describe, expect, it } from 'vitest'
import {
  codeForStatus,
  codeFromWire,
  httpStatusFor,
  isRetryableCode,
  isTandemErrorCode,
  openAiErrorTypeFor,
  tandemErrorCodes,
} from './error-codes.ts'

describe('error codes', () => {
  it('map to the status and OpenAI type clients expect', () => {
    expect([httpStatusFor('invalid_request'), openAiErrorTypeFor('invalid_request')]).toEqual([400, 'invalid_request_error'])
    expect([httpStatusFor('unauthorized'), openAiErrorTypeFor('unauthorized')]).toEqual([401, 'authentication_error'])
    expect([httpStatusFor('forbidden'), openAiErrorTypeFor('forbidden')]).toEqual([403, 'permission_error'])
    expect([httpStatusFor('rate_limited'), openAiErrorTypeFor('rate_limited')]).toEqual([429, 'rate_limit_error'])
    expect([httpStatusFor('quota'), openAiErrorTypeFor('quota')]).toEqual([429, 'insufficient_quota'])
    expect([httpStatusFor('internal'), openAiErrorTypeFor('internal')]).toEqual([500, 'server_error'])
    expect(httpStatusFor('upstream_unavailable')).toBe(503)
    expect([httpStatusFor('model_loading'), openAiErrorTypeFor('model_loading'), isRetryableCode('model_loading')]).toEqual([503, 'server_error', true])
    expect(httpStatusFor('timeout')).toBe(504)
  })

  it('round-trip through their status where the status is unambiguous', () => {
    for (const code of tandemErrorCodes) {
      const back = codeForStatus(httpStatusFor(code))
      expect(httpStatusFor(back)).toBe(httpStatusFor(code))
    }
  })

  it('mark only transient failures as retryable', () => {
    expect(tandemErrorCodes.filter(isRetryableCode).sort()).toEqual(
      ['model_loading', 'model_not_loaded', 'network', 'rate_limited', 'timeout', 'tool_call_interrupted', 'upstream_error', 'upstream_unavailable'],
    )
  })

  it('recognise their own names only', () => {
    expect(isTandemErrorCode('timeout')).toBe(true)
    expect(isTandemErrorCode('toString')).toBe(false)
    expect(isTandemErrorCode(404)).toBe(false)
  })

  it('read other servers codes, statuses and types', () => {
    expect(codeFromWire('timeout', 'server_error', 500)).toBe('timeout')
    expect(codeFromWire('model_not_found', 'invalid_request_error', 404)).toBe('not_found')
    expect(codeFromWire(null, 'invalid_request_error', 413)).toBe('payload_too_large')
    expect(codeFromWire(null, 'rate_limit_error', undefined)).toBe('rate_limited')
    expect(codeFromWire(null, 'BadRequestError', 418)).toBe('invalid_request')
    expect(codeFromWire(null, undefined, undefined)).toBe('internal')
  })
})

import { describe, expect, it } from 'vitest'
import { redactPath } from './redact-path.ts'

describe('redactPath', () => {
  it('replaces segments shaped like keys or tokens, and keeps the rest', () => {
    expect(redactPath('/v1/x/sk_live_abc')).toBe('/v1/x/[redacted]')
    expect(redactPath('/pk_test_web/models')).toBe('/[redacted]/models')
    expect(redactPath('/v1/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln')).toBe('/v1/[redacted]')
    expect(redactPath('/v1/tandem-upstream-test-key-0123456789')).toBe('/v1/[redacted]')
    expect(redactPath('/v1/SK_LIVE_X%2Fy')).toBe('/v1/[redacted]')
    for (const path of ['/v1/chat/completions', '/v1/models', '/healthz', '/', '/v1/nothing-here', '/v1/skate']) expect(redactPath(path)).toBe(path)
  })
})

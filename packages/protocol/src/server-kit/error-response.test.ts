import { describe, expect, it } from 'vitest'
import { modelNotFound, TandemError } from '../errors.ts'
import { errorResponse } from './error-response.ts'

describe('errorResponse', () => {
  it("writes the OpenAI envelope with the error's status", async () => {
    const response = errorResponse(new TandemError('invalid_request', 'top_p: too big', { param: 'top_p' }))
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ error: { message: 'top_p: too big', type: 'invalid_request_error', code: 'invalid_request', param: 'top_p' } })
  })

  it('names an unknown model as OpenAI does', async () => {
    const response = errorResponse(modelNotFound('x'))
    expect([response.status, await response.json()]).toEqual([
      404,
      { error: { message: 'The model `x` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found', param: 'model' } },
    ])
  })

  it('tells refused clients when to retry, unless a retry cannot help or a wait is already named', () => {
    expect(errorResponse(new TandemError('rate_limited', 'busy')).headers.get('retry-after')).toBe('1')
    expect(errorResponse(new TandemError('upstream_unavailable', 'down')).headers.get('retry-after')).toBe('1')
    expect(errorResponse(new TandemError('invalid_request', 'bad')).headers.get('retry-after')).toBeNull()
    expect(errorResponse(new TandemError('rate_limited', 'too big ever', { isRetryable: false })).headers.get('retry-after')).toBeNull()
    const named = errorResponse(new TandemError('rate_limited', 'busy'), { 'retry-after': '30', 'x-request-id': 'r1' })
    expect([named.headers.get('retry-after'), named.headers.get('x-request-id')]).toEqual(['30', 'r1'])
  })

  it('hides what went wrong inside', async () => {
    const response = errorResponse(new Error('ENOENT /secret/path'))
    expect(response.status).toBe(500)
    expect(JSON.stringify(await response.json())).not.toContain('secret')
  })
})

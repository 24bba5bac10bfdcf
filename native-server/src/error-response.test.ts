import { describe, expect, it } from 'vitest'
import { modelNotFound, TandemError } from '@tandem/protocol'
import { errorResponse } from './error-response.ts'

describe('errorResponse', () => {
  it('writes the OpenAI envelope with the error\'s status', async () => {
    const response = errorResponse(new TandemError('invalid_request', 'top_p: too big', { param: 'top_p' }))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: { message: 'top_p: too big', type: 'invalid_request_error', code: 'invalid_request', param: 'top_p' } })
  })

  it('names an unknown model as OpenAI does', async () => {
    const response = errorResponse(modelNotFound('x'))
    expect([response.status, await response.json()]).toEqual([
      404,
      { error: { message: 'The model `x` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found', param: 'model' } },
    ])
  })

  it('tells refused clients when to retry', () => {
    expect(errorResponse(new TandemError('rate_limited', 'busy')).headers.get('retry-after')).toBe('1')
    expect(errorResponse(new TandemError('upstream_unavailable', 'down')).headers.get('retry-after')).toBe('1')
    expect(errorResponse(new TandemError('invalid_request', 'bad')).headers.get('retry-after')).toBeNull()
  })

  it('hides what went wrong inside', async () => {
    const response = errorResponse(new Error('ENOENT /secret/path'))
    expect(response.status).toBe(500)
    expect(JSON.stringify(await response.json())).not.toContain('secret')
  })
})

import { describe, expect, it } from 'vitest'
import { errorEnvelopeSchema, errorFromJson, errorFromResponse, modelNotFound, TandemError, toTandemError } from './errors.ts'

describe('TandemError', () => {
  it('takes status, type and retryability from its code', () => {
    const error = new TandemError('rate_limited', 'slow down')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('TandemError')
    expect(error.status).toBe(429)
    expect(error.isRetryable).toBe(true)
    expect(error.param).toBeUndefined()
  })

  it('lets the caller override status and retryability', () => {
    const error = new TandemError('internal', 'boom', { status: 502, isRetryable: true, cause: 'x' })
    expect([error.status, error.isRetryable, error.cause]).toEqual([502, true, 'x'])
  })

  it('is recognised by its marker, not by instanceof', () => {
    // What another bundle's copy of the class, or a structured clone that kept the symbol, looks like.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('tandem.error')]: true, code: 'timeout' })
    expect(TandemError.isInstance(foreign)).toBe(true)
    expect(TandemError.isInstance(new TandemError('timeout', 't'))).toBe(true)
    expect(TandemError.isInstance(new Error('plain'))).toBe(false)
    expect(TandemError.isInstance(null)).toBe(false)
    expect(TandemError.isInstance('TandemError')).toBe(false)
  })

  it('becomes the OpenAI envelope', () => {
    const error = new TandemError('invalid_request', 'temperature: must be at most 2', { param: 'temperature' })
    expect(error.toEnvelope()).toEqual({
      error: { message: 'temperature: must be at most 2', type: 'invalid_request_error', code: 'invalid_request', param: 'temperature' },
    })
    expect(new TandemError('internal', 'x').toEnvelope().error.param).toBeNull()
  })

  it('says an unknown model as OpenAI does, and reads it back as not_found', () => {
    const sent = modelNotFound('gpt-9')
    expect([sent.status, sent.toEnvelope()]).toEqual([
      404,
      { error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found', param: 'model' } },
    ])
    const received = TandemError.fromEnvelope(JSON.parse(JSON.stringify(sent.toEnvelope())) as never, sent.status)
    expect([received.code, received.param, received.message]).toEqual(['not_found', 'model', sent.message])
    expect(new TandemError('not_found', 'no route').toEnvelope().error.code).toBe('not_found')
  })

  it('crosses a boundary as data and comes back the same', () => {
    const sent = new TandemError('model_not_loaded', 'loading', { param: 'model' })
    const received = TandemError.fromEnvelope(JSON.parse(JSON.stringify(sent.toEnvelope())) as never, sent.status)
    expect(TandemError.isInstance(received)).toBe(true)
    expect([received.code, received.message, received.param, received.status, received.isRetryable])
      .toEqual(['model_not_loaded', 'loading', 'model', 503, true])
  })

  it('reads other servers envelopes', () => {
    const openai = TandemError.fromEnvelope(
      { error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', code: 'model_not_found', param: null } },
      404,
    )
    expect([openai.code, openai.status]).toEqual(['not_found', 404])
    // llama.cpp puts the status in `code`.
    const llama = TandemError.fromEnvelope({ error: { code: 503, message: 'Loading model', type: 'unavailable_error' } })
    expect([llama.code, llama.status, llama.isRetryable]).toEqual(['upstream_unavailable', 503, true])
  })
})

describe('errorFromJson', () => {
  it('accepts an envelope or a bare error object', () => {
    expect(errorFromJson({ error: { message: 'm', type: 'rate_limit_error' } })?.code).toBe('rate_limited')
    expect(errorFromJson({ object: 'error', message: 'bad', type: 'BadRequestError', code: 400 })?.code).toBe('invalid_request')
  })

  it('is undefined for anything else', () => {
    expect(errorFromJson({ choices: [] })).toBeUndefined()
    expect(errorFromJson('error')).toBeUndefined()
    expect(errorEnvelopeSchema.safeParse({ error: 'x' }).success).toBe(false)
  })
})

describe('toTandemError', () => {
  it('passes TandemErrors through', () => {
    const error = new TandemError('timeout', 't')
    expect(toTandemError(error)).toBe(error)
  })

  it('keeps the meaning of aborts and timeouts', () => {
    expect(toTandemError(new DOMException('stop', 'AbortError')).code).toBe('aborted')
    expect(toTandemError(new DOMException('late', 'TimeoutError')).code).toBe('timeout')
  })

  it('hides other errors behind a generic message', () => {
    const cause = new Error('ECONNRESET at /srv/secret/path')
    const error = toTandemError(cause)
    expect([error.code, error.message, error.cause]).toEqual(['internal', 'internal error', cause])
    expect(toTandemError(cause, 'upstream_unavailable').message).toBe('upstream unavailable')
  })
})

describe('errorFromResponse', () => {
  it("reads a server's envelope, keeping its message and status", async () => {
    const response = Response.json({ error: { message: 'no model grok-9', type: 'invalid_request_error', code: 'model_not_found', param: 'model' } }, { status: 404 })
    const error = await errorFromResponse(response)
    expect([error.code, error.status, error.message, error.param]).toEqual(['not_found', 404, 'no model grok-9', 'model'])
  })

  it('falls back to the code for the status when the body is not an envelope', async () => {
    const error = await errorFromResponse(new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    expect([error.code, error.status, error.message]).toEqual(['upstream_error', 502, 'the server answered 502 Bad Gateway'])
  })
})

import { TandemError } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { engineError } from './engine-errors.ts'

describe('engineError', () => {
  it.each([
    // web-llm through CreateWebWorkerMLCEngine rejects with plain strings like this one
    ['TypeError: Failed to fetch', 'network'],
    [new TypeError('NetworkError when attempting to fetch resource.'), 'network'],
    ['Error: Cannot find model record in appConfig for foo', 'local_unavailable'],
    [new Error('This model requires WebGPU extension shader-f16, which is not enabled in this browser.'), 'local_unavailable'],
    [Object.assign(new Error('KV cache is full'), { type: 'kv_cache_full' }), 'context_length_exceeded'],
    [new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'quota'],
    // a browser's wording varies; the name does not
    [new DOMException('Unable to write to the file.', 'QuotaExceededError'), 'quota'],
    [{ message: 'HTTP 404 not found' }, 'not_found'],
    [42, 'local_unavailable'],
  ])('%s → %s', (failure, code) => {
    const error = engineError('web-llm', failure)
    expect(TandemError.isInstance(error)).toBe(true)
    expect(error.code).toBe(code)
    expect(error.message.startsWith('web-llm: ')).toBe(true)
  })

  it('keeps TandemErrors and turns aborts into aborted', () => {
    const quota = new TandemError('quota', 'full')
    expect(engineError('wllama', quota)).toBe(quota)
    expect(engineError('wllama', new DOMException('stop', 'AbortError')).code).toBe('aborted')
    expect(engineError('wllama', Object.assign(new Error('aborted'), { name: 'WllamaAbortError' })).code).toBe('aborted')
  })
})

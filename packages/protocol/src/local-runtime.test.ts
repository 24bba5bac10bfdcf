import { describe, expect, it } from 'vitest'
import { TandemError } from './errors.ts'
import { fromWirePart, loadRequestSchema, toWirePart } from './local-runtime.ts'
import { parseWith } from './validate.ts'

describe('wire parts', () => {
  it('carry an error across structured clone with its code, status and param', () => {
    const error = new TandemError('quota', 'the model needs 1.3 GB; the browser grants 200 MB', { param: 'variant' })
    const back = fromWirePart(structuredClone(toWirePart({ type: 'error', error })))
    expect(back.type).toBe('error')
    if (back.type !== 'error') return
    expect(TandemError.isInstance(back.error)).toBe(true)
    expect([back.error.code, back.error.status, back.error.param, back.error.message]).toEqual([error.code, error.status, 'variant', error.message])
  })

  it('pass chunks and done through unchanged', () => {
    expect(fromWirePart(toWirePart({ type: 'done' }))).toEqual({ type: 'done' })
  })
})

describe('loadRequestSchema', () => {
  it('names the field at fault', () => {
    const result = parseWith(loadRequestSchema, { model: 'grok-2-tiny', variant: 'q4_0', manifestUrl: 'nope', backend: 'wasm' }, 'load request')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.param).toBe('manifestUrl')
  })
})

describe('loadRequestSchema engines', () => {
  it('defaults to wllama, which needs a manifest', () => {
    const result = parseWith(loadRequestSchema, { model: 'grok-2-tiny', variant: 'q4_0', backend: 'wasm' }, 'load request')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.param).toBe('manifestUrl')
    const ok = parseWith(loadRequestSchema, { model: 'grok-2-tiny', variant: 'q4_0', backend: 'wasm', manifestUrl: 'http://127.0.0.1/m.json' }, 'load request')
    expect(ok.ok && ok.value.engine).toBe('wllama')
  })

  it('takes web-llm with a custom record or none (its prebuilt list)', () => {
    const record = { model: 'http://127.0.0.1/mlc/', model_lib: 'http://127.0.0.1/lib.wasm', required_features: ['shader-f16'] }
    expect(parseWith(loadRequestSchema, { model: 'm', variant: 'q4f16_1', backend: 'webgpu', engine: 'web-llm', mlcRecord: record }, 'load request').ok).toBe(true)
    expect(parseWith(loadRequestSchema, { model: 'm', variant: 'q4f16_1', backend: 'webgpu', engine: 'web-llm' }, 'load request').ok).toBe(true)
  })
})

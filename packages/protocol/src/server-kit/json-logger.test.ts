import { describe, expect, it } from 'vitest'
import { TandemError } from '../errors.ts'
import { createJsonLogger } from './json-logger.ts'

describe('createJsonLogger', () => {
  it('writes one JSON object per line, at or above its level, with inherited fields', () => {
    const lines: string[] = []
    const logger = createJsonLogger({ level: 'info', write: (line) => lines.push(line) }).child({ request_id: 'r1' })
    logger.debug('hidden')
    logger.info('served', { status: 200 })
    logger.error('failed', { error: new TandemError('timeout', 'slow') })
    const entries = lines.map((line) => JSON.parse(line))
    expect(entries).toEqual([
      { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', msg: 'served', request_id: 'r1', status: 200 },
      { time: expect.any(String), level: 'error', msg: 'failed', request_id: 'r1', error: { name: 'TandemError', message: 'slow', code: 'timeout', status: 504 } },
    ])
  })

  it('never writes an error\'s stack or cause', () => {
    const lines: string[] = []
    createJsonLogger({ write: (line) => lines.push(line) }).error('x', { error: new Error('outer', { cause: new Error('the prompt text') }) })
    expect(lines[0]).not.toContain('prompt text')
    expect(lines[0]).not.toContain('at ')
  })

  it('is silent when off', () => {
    const lines: string[] = []
    createJsonLogger({ level: 'off', write: (line) => lines.push(line) }).error('x')
    expect(lines).toEqual([])
  })
})

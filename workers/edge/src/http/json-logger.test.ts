import { describe, expect, it } from 'vitest'
import { createJsonLogger } from './json-logger.ts'

describe('createJsonLogger', () => {
  it('writes one JSON object per line at or above its level', () => {
    const lines: string[] = []
    const log = createJsonLogger('info', (line) => lines.push(line))
    log.debug('hidden')
    log.info('request', { request_id: 'r1', status: 200 })
    log.error('boom')
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { level: 'info', msg: 'request', request_id: 'r1', status: 200 },
      { level: 'error', msg: 'boom' },
    ])
    expect(JSON.parse(lines[0]!).time).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('is silent when off', () => {
    const lines: string[] = []
    createJsonLogger('off', (line) => lines.push(line)).error('x')
    expect(lines).toEqual([])
  })
})

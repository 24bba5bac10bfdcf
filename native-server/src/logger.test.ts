import { describe, expect, it } from 'vitest'
import { TandemError } from '@tandem/protocol'
import { createLogger } from './logger.ts'

describe('createLogger', () => {
  it('writes one JSON object per line, at or above its level, with inherited fields', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) }).child({ request_id: 'r1' })
    logger.debug('hidden')
    logger.info('served', { status: 200 })
    logger.error('failed', { error: new TandemError('timeout', 'slow') })
    const entries = lines.map((line) => JSON.parse(line))
    expect(entries).toEqual([
      { time: expect.any(String), level: 'info', msg: 'served', request_id: 'r1', status: 200 },
      { time: expect.any(String), level: 'error', msg: 'failed', request_id: 'r1', error: { name: 'TandemError', message: 'slow', code: 'timeout', status: 504 } },
    ])
  })
})

// The Node entry on a real socket: what a client that hangs up mid-upload leaves in the logs.
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createJsonLogger } from '@tandem/protocol'
import { startGateway } from './node.ts'
import { testEnv, testKeys } from './test-helpers.ts'

describe('startGateway', () => {
  it('logs a client that stops mid-upload as the client’s failure (499, info), not the server’s', async () => {
    const lines: string[] = []
    const gateway = await startGateway({ env: await testEnv({ EDGE_LOG_LEVEL: 'info' }), port: 0, log: createJsonLogger({ level: 'info', write: (line) => lines.push(line) }) })
    try {
      const { port } = new URL(gateway.url)
      for (let i = 0; i < 3; i++) {
        const socket = connect(Number(port), '127.0.0.1')
        await new Promise<void>((resolve) => socket.once('connect', resolve))
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${testKeys.secret}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nx-request-id: upload-${i}\r\n\r\n{"model":"grok-2-tiny","mess`,
        )
        await new Promise((resolve) => setTimeout(resolve, 50))
        socket.destroy()
      }
      const ended = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request' && String(entry.request_id).startsWith('upload-'))
      await expect.poll(() => ended().length, { timeout: 5_000 }).toBe(3)
      for (const entry of ended()) expect(entry).toMatchObject({ level: 'info', status: 499, code: 'aborted' })
      expect(lines.some((line) => line.includes('"level":"error"'))).toBe(false)
    } finally {
      await gateway.close()
    }
  })
})

// The Node entry (@hono/node-server) in this process, its log lines captured.
import { expect, it } from 'vitest'
import { gatewaySuite } from './gateway-suite.ts'
import { keys, startNodeGateway } from './harness.ts'

const lines: string[] = []
gatewaySuite({ runtime: 'Node', start: (env) => startNodeGateway(env, lines), logs: () => lines })

it('logged JSON lines with request ids, never prompt text or keys', () => {
  expect(lines.length).toBeGreaterThan(100)
  for (const line of lines) {
    const entry = JSON.parse(line) as Record<string, unknown>
    expect(entry.msg).toBeTypeOf('string')
    if (entry.msg === 'request') expect(entry.request_id).toBeTypeOf('string')
    expect(line).not.toContain('Hello there')
    for (const key of Object.values(keys)) expect(line).not.toContain(key)
  }
})

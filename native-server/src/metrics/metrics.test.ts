import { describe, expect, it } from 'vitest'
import { createServerMetrics } from './metrics.ts'

const line = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))

describe('createServerMetrics', () => {
  it('reads the engine when scraped, so every scrape shows its state then', async () => {
    const stats = { ready: false, active: 0, queued: 0, full: false, decodeSteps: 0, decodeStepSequences: 0 }
    const metrics = createServerMetrics({ stats: () => stats })
    expect(line(await metrics.render(), 'tandem_ready')).toBe('tandem_ready 0')
    Object.assign(stats, { ready: true, active: 2, queued: 5, decodeSteps: 40, decodeStepSequences: 70 })
    const text = await metrics.render()
    expect([line(text, 'tandem_ready'), line(text, 'tandem_active_sequences'), line(text, 'tandem_queue_depth')]).toEqual(['tandem_ready 1', 'tandem_active_sequences 2', 'tandem_queue_depth 5'])
    expect([line(text, 'tandem_decode_steps_total'), line(text, 'tandem_decode_step_sequences_total')]).toEqual(['tandem_decode_steps_total 40', 'tandem_decode_step_sequences_total 70'])
  })

  it('keeps each server apart, with the process metrics beside its own', async () => {
    const idle = { ready: true, active: 0, queued: 0, full: false }
    const one = createServerMetrics({ stats: () => idle })
    const two = createServerMetrics({ stats: () => idle })
    one.requests.inc({ status: '200' })
    one.requests.inc({ status: '200' })
    one.cancellations.inc({ reason: 'client' })
    one.completionTokens.inc(12)
    const text = await one.render()
    expect(line(text, 'tandem_requests_total')).toBe('tandem_requests_total{status="200"} 2')
    expect(line(text, 'tandem_cancellations_total')).toBe('tandem_cancellations_total{reason="client"} 1')
    expect(line(text, 'tandem_completion_tokens_total')).toBe('tandem_completion_tokens_total 12')
    expect(line(text, 'process_cpu_seconds_total')).toBeDefined()
    expect(line(await two.render(), 'tandem_requests_total')).toBeUndefined()
    expect(one.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
  })
})

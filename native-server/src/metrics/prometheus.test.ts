import { describe, expect, it } from 'vitest'
import { Counter, CounterReading, Gauge, Histogram, renderMetrics } from './prometheus.ts'

describe('prometheus text', () => {
  it('writes counters by label, zero before the first event', () => {
    const counter = new Counter('requests_total', 'Requests.')
    expect(counter.render()).toBe('# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total 0\n')
    counter.inc({ status: '200' })
    counter.inc({ status: '200' })
    counter.inc({ status: '429' }, 3)
    expect(counter.get({ status: '200' })).toBe(2)
    expect(counter.render()).toContain('requests_total{status="200"} 2\nrequests_total{status="429"} 3\n')
    expect(() => counter.inc({}, -1)).toThrow(RangeError)
  })

  it('treats label order as irrelevant and escapes values', () => {
    const counter = new Counter('c', 'h')
    counter.inc({ a: '1', b: '2' })
    counter.inc({ b: '2', a: '1' })
    counter.inc({ a: 'say "hi"\\\n' })
    expect(counter.get({ b: '2', a: '1' })).toBe(2)
    expect(counter.render()).toContain('c{a="say \\"hi\\"\\\\\\n"} 1\n')
  })

  it('reads gauges when rendered', () => {
    let depth = 1
    const gauge = new Gauge('queue_depth', 'Waiting requests.', () => depth)
    expect(gauge.render()).toContain('queue_depth 1\n')
    depth = 5
    expect(gauge.render()).toContain('queue_depth 5\n')
    const labelled = new Gauge('active', 'Active.', () => [[{ model: 'm' }, 2]])
    expect(labelled.render()).toContain('active{model="m"} 2\n')
  })

  it('reads counters kept elsewhere', () => {
    let steps = 3
    const counter = new CounterReading('steps_total', 'Steps.', () => steps)
    steps = 4
    expect(counter.render()).toBe('# HELP steps_total Steps.\n# TYPE steps_total counter\nsteps_total 4\n')
  })

  it('writes cumulative histogram buckets, sum and count', () => {
    const histogram = new Histogram('ttft_seconds', 'Time to first token.', [0.1, 1])
    histogram.observe(0.05)
    histogram.observe(0.5)
    histogram.observe(3)
    expect(histogram.render()).toBe(
      '# HELP ttft_seconds Time to first token.\n# TYPE ttft_seconds histogram\n' +
        'ttft_seconds_bucket{le="0.1"} 1\nttft_seconds_bucket{le="1"} 2\nttft_seconds_bucket{le="+Inf"} 3\n' +
        'ttft_seconds_sum 3.55\nttft_seconds_count 3\n',
    )
    expect(() => new Histogram('h', 'h', [1, 1])).toThrow(RangeError)
  })

  it('joins metrics into one exposition', () => {
    const text = renderMetrics([new Counter('a_total', 'A.'), new Gauge('b', 'B.', () => 0)])
    expect(text.split('\n').filter((line) => line.startsWith('# TYPE'))).toEqual(['# TYPE a_total counter', '# TYPE b gauge'])
  })
})

import type { LoadProgress } from '@tandem/protocol'
import { describe, expect, it } from 'vitest'
import { createProgressMeter } from './progress-meter.ts'

function meter(shardBytes: number[]) {
  let time = 0
  const reports: LoadProgress[] = []
  const m = createProgressMeter({ stage: 'download', shardBytes, emit: (p) => reports.push(p), now: () => time })
  return { m, reports, tick: (ms: number) => (time += ms) }
}

describe('createProgressMeter', () => {
  it('sums shards, counts finished ones and measures the rate of bytes moved in this session only', () => {
    const { m, reports, tick } = meter([1000, 3000])
    m.start(1, 1000) // resumed: 1000 bytes were already on disk
    tick(500)
    m.update(0, 500)
    tick(500)
    m.complete(0)
    m.update(1, 2000)
    m.complete(1)
    const last = reports.at(-1)!
    expect(last).toMatchObject({ stage: 'download', fraction: 1, loadedBytes: 4000, totalBytes: 4000, shardsDone: 2, shardsTotal: 2 })
    // moved: 500 + 1000 (shard 1 from 1000 to 2000); completion jumps are not transfers
    expect(last.bytesPerSecond).toBe(1500)
  })

  it('reports at most once per interval, but always the first and the last', () => {
    const { m, reports, tick } = meter([100])
    m.update(0, 10)
    m.update(0, 20)
    tick(50)
    m.update(0, 30)
    tick(60)
    m.update(0, 40)
    m.complete(0)
    expect(reports.map((r) => r.loadedBytes)).toEqual([10, 40, 100])
  })

  it('follows a shard that restarts from zero without counting it as negative progress', () => {
    const { m, reports, tick } = meter([100])
    m.update(0, 60)
    tick(200)
    m.update(0, 0)
    tick(200)
    m.update(0, 100)
    expect(reports.map((r) => r.loadedBytes)).toEqual([60, 0, 100])
    expect(reports.at(-1)!.bytesPerSecond).toBe(400)
  })
})

describe('createProgressMeter flush', () => {
  it('sends only what the throttle held back', () => {
    const { m, reports } = meter([100, 100])
    m.flush()
    expect(reports).toEqual([])
    m.update(0, 10)
    m.update(0, 20)
    m.flush()
    m.flush()
    expect(reports.map((r) => r.loadedBytes)).toEqual([10, 20])
  })
})

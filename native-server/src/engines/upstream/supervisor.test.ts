import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '@tandem/protocol'
import { Supervisor } from './supervisor.ts'

/** Processes of a group still running: exited ones may linger as zombies until init reaps them. */
const running = (group: number) =>
  spawnSync('ps', ['-o', 'stat=', '-g', String(group)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((stat) => stat.trim() !== '' && !stat.trim().startsWith('Z')).length

describe('Supervisor', () => {
  it('restarts a command that exits, with growing delays', async () => {
    const exits: number[] = []
    const supervisor = new Supervisor({ command: 'exit 3', logger: silentLogger, initialBackoffMs: 10, maxBackoffMs: 40, onExit: () => exits.push(performance.now()) })
    supervisor.start()
    try {
      await expect.poll(() => supervisor.restarts).toBeGreaterThanOrEqual(3)
    } finally {
      await supervisor.stop()
    }
    const gaps = exits.slice(1).map((at, i) => at - exits[i]!)
    expect(gaps[0]).toBeGreaterThanOrEqual(10)
    expect(gaps[2]).toBeGreaterThanOrEqual(40)
  })

  it('stops the whole process group, children included, and does not restart it', async () => {
    const supervisor = new Supervisor({ command: 'sleep 30 & sleep 30; wait', logger: silentLogger })
    supervisor.start()
    const pid = supervisor.pid!
    await expect.poll(() => running(pid)).toBe(3) // sh and its two sleeps
    await supervisor.stop(2000)
    expect(supervisor.running).toBe(false)
    expect(running(pid)).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(supervisor.restarts).toBe(0)
  })
})

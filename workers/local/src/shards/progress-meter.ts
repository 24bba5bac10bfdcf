import type { LoadProgress } from '@tandem/protocol'

export interface ProgressMeterOptions {
  stage: LoadProgress['stage']
  /** Bytes of each shard, in order. */
  shardBytes: readonly number[]
  emit(progress: LoadProgress): void
  /** Fewest milliseconds between two reports; the first and the last always go out. */
  intervalMs?: number
  now?: () => number
}

/**
 * Sums per-shard positions into one report (bytes, shards, rate) and throttles it: a progress
 * bar wants a few updates a second, not one message per network chunk. The rate counts only
 * bytes that moved in this session, so resumed or cached bytes do not inflate it.
 */
export function createProgressMeter({ stage, shardBytes, emit, intervalMs = 100, now = () => performance.now() }: ProgressMeterOptions) {
  const positions = shardBytes.map(() => 0)
  const done = shardBytes.map(() => false)
  const totalBytes = shardBytes.reduce((sum, b) => sum + b, 0)
  const started = now()
  let moved = 0
  let lastEmit = -Infinity
  let unreported = false

  function report(force: boolean) {
    const time = now()
    unreported = true
    if (!force && time - lastEmit < intervalMs) return
    lastEmit = time
    unreported = false
    const loadedBytes = positions.reduce((sum, p) => sum + p, 0)
    const seconds = (time - started) / 1000
    emit({
      stage,
      fraction: totalBytes === 0 ? 1 : loadedBytes / totalBytes,
      loadedBytes,
      totalBytes,
      shardsDone: done.filter(Boolean).length,
      shardsTotal: shardBytes.length,
      bytesPerSecond: seconds > 0 ? Math.round(moved / seconds) : 0,
    })
  }

  return {
    /** Where a shard stands before any transfer (resumed or cached bytes): not counted in the rate. */
    start(shard: number, position: number) {
      positions[shard] = position
    },
    /** A shard's new position; it may go back to 0 when a server ignores a Range request. */
    update(shard: number, position: number) {
      moved += Math.max(0, position - (positions[shard] ?? 0))
      positions[shard] = position
      report(false)
    },
    complete(shard: number) {
      positions[shard] = shardBytes[shard] ?? 0
      done[shard] = true
      report(done.every(Boolean))
    },
    /** Sends the last change if the throttle held it back. */
    flush() {
      if (unreported) report(true)
    },
  }
}

/**
 * Steps of a load or an answer on the User Timing timeline, as `tandem:<step>` measures: DevTools'
 * Performance panel shows them, and `bench/local.ts` reads them to break a cached start down.
 */
export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now()
  try {
    return await work()
  } finally {
    measure(step, start)
  }
}

/** Ends the step `step` now; it began at `start` (a `performance.now()`). `detail` travels with the measure (counts, for the bench). */
export function measure(step: string, start: number, detail?: Record<string, number>): void {
  performance.measure(`tandem:${step}`, { start, end: performance.now(), ...(detail ? { detail } : {}) })
}

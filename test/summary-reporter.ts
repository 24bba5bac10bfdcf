import type { Reporter, SerializedError, TestModule } from 'vitest/node'

/** Ends the run with one plain line, `Tests: N passed, N failed, N skipped`, that any CI can read. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of testModules) {
      let failedHere = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') failedHere++
        else counts.skipped++
      }
      // A file that failed to load, or whose beforeAll threw, fails even though none of its tests ran.
      if (module.state() === 'failed' && failedHere === 0) failedHere = 1
      counts.failed += failedHere
    }
    counts.failed += unhandledErrors.length
    console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
  }
}

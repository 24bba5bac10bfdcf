// The Web Worker's module. Pages start it with `startLocalWorker()` (index.ts), which finds this file beside itself.
import type { LoadProgress } from '@tandem/protocol'
import { expose, releaseProxy, transfer, type Remote } from 'comlink'
import { createLocalRuntime } from './runtime.ts'
import { measure } from './timeline.ts'

const runtime = createLocalRuntime()

expose({
  ...runtime,
  async load(request: unknown, onProgress?: unknown) {
    try {
      return await runtime.load(request, onProgress)
    } finally {
      if (typeof onProgress === 'function') (onProgress as Remote<(progress: LoadProgress) => void>)[releaseProxy]() // closes the callback's channel
    }
  },
  // Streams cross whole, transferred, not one round trip per chunk; the runtime batches their parts.
  async chat(request: unknown) {
    const stream = await runtime.chat(request)
    return transfer(stream, [stream as unknown as Transferable])
  },
})

measure('worker start', 0) // from the worker's creation to its script evaluated

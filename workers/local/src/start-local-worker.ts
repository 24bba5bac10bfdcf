/**
 * Starts the on-device runtime in a module Web Worker. The worker's file sits beside this module (in `dist/` as
 * published, in `src/` inside the workspace), so bundlers that follow `new Worker(new URL(…, import.meta.url))`, Vite's
 * and webpack's among them, emit it with the page.
 */
export function startLocalWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tandem-local' })
}

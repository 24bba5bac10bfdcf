import type { LoadRequest } from '@tandem/protocol'
import { Wllama, type WllamaLogger } from '@wllama/wllama'
import { measure } from '../timeline.ts'

export interface WllamaLoad {
  /** The shards, already verified. */
  files: Blob[]
  request: Pick<LoadRequest, 'backend' | 'contextLength' | 'threads'>
  /** wllama's wasm. */
  wasm: string
}

const quiet: WllamaLogger = { debug: () => {}, log: () => {}, warn: () => {}, error: (...args) => console.error('[wllama]', ...args) }

/**
 * A wllama instance with the model loaded, its steps marked on the timeline. Used by the engine,
 * and by the bench's floor (the same load from memory), so both load exactly alike.
 */
export async function loadWllama({ files, request, wasm }: WllamaLoad): Promise<Wllama> {
  const steps = loadSteps()
  const instance = new Wllama({ default: wasm }, { suppressNativeLog: true, logger: steps.logger })
  try {
    await instance.loadModel(files, {
      n_ctx: request.contextLength ?? 4096,
      // 0 GPU layers skips WebGPU entirely: the planner chose wasm (no adapter, or no shader-f16).
      n_gpu_layers: request.backend === 'webgpu' ? 99999 : 0,
      n_threads: self.crossOriginIsolated ? (request.threads ?? 1) : 1,
      n_parallel: 1,
    })
    steps.loaded()
    return instance
  } catch (failure) {
    await instance.exit().catch(() => {})
    throw failure
  }
}

/**
 * wllama says, in debug lines, when its worker and wasm are up and when the model starts loading:
 * the only seams inside `loadModel`, marked as steps on the timeline.
 */
function loadSteps(): { logger: WllamaLogger; loaded(): void } {
  let since = performance.now()
  const step = (name: string) => {
    measure(name, since)
    since = performance.now()
  }
  return {
    logger: {
      ...quiet,
      debug: (line: unknown) => {
        if (line === 'Calling wllamaStart...') step('wllama worker, wasm compile')
        else if (line === 'Loading model...') step('wllama start')
      },
    },
    loaded: () => step('model load'),
  }
}

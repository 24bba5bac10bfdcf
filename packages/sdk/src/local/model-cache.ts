import { fromWireError, type CachedModel } from '@tandem/protocol'
import type { RuntimeHolder } from './worker-runtime.ts'

/** The models stored on this device for the local route. */
export interface ModelCache {
  /** Every stored variant, with its size; `complete: false` is a download that stopped midway and will resume. */
  list(): Promise<CachedModel[]>
  /** Deletes a variant, or every variant of a model; a model that is loaded keeps running until unloaded. */
  delete(model: string, variant?: string): Promise<void>
}

export function createModelCache(runtimes: RuntimeHolder | undefined): ModelCache {
  return {
    async list() {
      if (!runtimes) return []
      const outcome = await (await runtimes.get()).runtime.cached()
      if (!outcome.ok) throw fromWireError(outcome)
      return outcome.value
    },
    async delete(model, variant) {
      if (!runtimes) return
      const outcome = await (await runtimes.get()).runtime.deleteCached(model, variant)
      if (!outcome.ok) throw fromWireError(outcome)
    },
  }
}

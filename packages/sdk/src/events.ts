import type { LoadProgress } from '@tandem/protocol'
import type { RouteChange } from './failover/index.ts'

export interface TandemEvents {
  /** Downloading, verifying and loading a model for the local route. */
  progress: LoadProgress & { model: string; variant: string }
  /** An answer moved to another route midway (or before its first chunk). */
  route: RouteChange & { model: string }
}

export type Unsubscribe = () => void

/** A few typed events without EventTarget's casts; a listener that throws does not stop the others. */
export function createEmitter<Events extends object>() {
  const listeners = new Map<keyof Events, Set<(event: never) => void>>()
  return {
    on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): Unsubscribe {
      const set = listeners.get(type) ?? new Set()
      listeners.set(type, set)
      set.add(listener as (event: never) => void)
      return () => void set.delete(listener as (event: never) => void)
    },
    emit<K extends keyof Events>(type: K, event: Events[K]): void {
      for (const listener of listeners.get(type) ?? []) {
        try {
          ;(listener as (event: Events[K]) => void)(event)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
  }
}

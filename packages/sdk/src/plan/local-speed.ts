import { get, set } from 'idb-keyval'
import { z } from 'zod'
import { deviceStore } from './probe-cache.ts'

/** What one local answer measured: decode speed after the first token, and the wait for that first token. */
export interface LocalSpeed {
  tokensPerSecond: number
  firstTokenMs: number
  /** Epoch ms of the answer. */
  at: number
}

/** A variant on a backend: the same model is a different machine on WebGPU and on wasm. */
export const localSpeedKey = (model: string, variant: string, backend: string) => `${model}/${variant}/${backend}`

const KEY = 'local-speed'
/** As long as the device profile is kept. */
export const SPEED_MAX_AGE_MS = 24 * 60 * 60 * 1000
const speedsSchema = z.record(z.string(), z.object({ tokensPerSecond: z.number().positive(), firstTokenMs: z.number().nonnegative(), at: z.number() }))
export type LocalSpeeds = z.infer<typeof speedsSchema>

// Where there is no IndexedDB (Node, Workers) the measurements live as long as the process.
let inMemory: LocalSpeeds = {}

/**
 * The local route's last measured speed per model, variant and backend, kept in IndexedDB beside
 * the device profile: a device can report WebGPU and memory and still be slow, which only running
 * the model shows.
 */
export async function readLocalSpeeds({ maxAgeMs = SPEED_MAX_AGE_MS, now = Date.now() } = {}): Promise<LocalSpeeds> {
  // Older measurements are forgotten, so a device judged too slow (and sent remote since) is tried again.
  return Object.fromEntries(Object.entries(await stored()).filter(([, speed]) => now - speed.at < maxAgeMs))
}

export async function recordLocalSpeed(key: string, speed: LocalSpeed): Promise<void> {
  const store = deviceStore()
  const speeds = { ...(await stored()), [key]: speed }
  if (!store) inMemory = speeds
  else await set(KEY, speeds, store).catch(() => undefined)
}

async function stored(): Promise<LocalSpeeds> {
  const store = deviceStore()
  if (!store) return inMemory
  // What IndexedDB hands back is input like any other: another version may have stored another shape.
  const parsed = speedsSchema.safeParse(await get(KEY, store).catch(() => undefined))
  return parsed.success ? parsed.data : {}
}

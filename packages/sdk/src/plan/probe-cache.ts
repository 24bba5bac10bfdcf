import { createStore, get, set, type UseStore } from 'idb-keyval'
import { z } from 'zod'
import { deviceProfileSchema, type DeviceProfile } from './device.ts'
import { probeDevice } from './probe.ts'

const KEY = 'device-profile'
/** WebGPU adapters and memory change with drivers and hardware, rarely within a day. */
export const PROBE_MAX_AGE_MS = 24 * 60 * 60 * 1000

// What IndexedDB hands back is input like any other: an older SDK may have stored another shape.
const cachedSchema = z.object({ at: z.number(), profile: deviceProfileSchema })

let opened: UseStore | undefined

/** The SDK's IndexedDB store (database `tandem`, store `device`); undefined where there is no IndexedDB. */
export function deviceStore(): UseStore | undefined {
  if (typeof indexedDB === 'undefined') return undefined
  opened ??= createStore('tandem', 'device')
  return opened
}

/**
 * The device profile, probed once and kept in IndexedDB (idb-keyval) for `maxAgeMs`, so a page
 * does not ask for a WebGPU adapter on every visit. What changes often — online state, Save-Data,
 * the storage estimate — is read fresh every time. Where there is no IndexedDB (Node, Workers),
 * or it fails, this is a plain probe.
 */
export async function loadDeviceProfile({ maxAgeMs = PROBE_MAX_AGE_MS, now = Date.now() } = {}): Promise<{ profile: DeviceProfile; fromCache: boolean }> {
  const store = deviceStore()
  if (!store) return { profile: await probeDevice(), fromCache: false }
  const cached = cachedSchema.safeParse(await get(KEY, store).catch(() => undefined))
  if (cached.success && now - cached.data.at < maxAgeMs) {
    const { online, saveData, storage } = await probeDevice({ adapter: false })
    return { profile: { ...cached.data.profile, online, saveData, storage }, fromCache: true }
  }
  const profile = await probeDevice()
  await set(KEY, { at: now, profile }, store).catch(() => undefined)
  return { profile, fromCache: false }
}

import { BITS_PER_WEIGHT, elements, estimateMemory, tensorLayout, type ModelDescriptor, type ModelVariant } from '@tandem/models'
import type { TandemErrorCode } from '@tandem/protocol'
import type { RouteMode } from '../options.ts'
import type { DeviceProfile } from './device.ts'
import { formatBytes } from './format-bytes.ts'
import { localSpeedKey, type LocalSpeeds } from './local-speed.ts'

export type Backend = 'webgpu' | 'wasm'

export interface PlanInput {
  device: DeviceProfile
  /** The catalog's descriptor; undefined for a model the catalog does not know, which only a server can serve. */
  model: ModelDescriptor | undefined
  modelId: string
  mode: RouteMode
  contextLength: number
  hasRemote: boolean
  /** What the gateway's `GET /models` listed, or why it could not be read; absent when it was not asked. */
  gatewayModels?: GatewayModels
  hasLocalRuntime: boolean
  cachedVariants: readonly string[]
  /** What earlier local answers on this device measured, by `localSpeedKey`. */
  localSpeeds?: LocalSpeeds
  /** Below this measured decode speed, `prefer-local` takes the remote route when it can. */
  minLocalTokensPerSecond?: number
  /** The caller's watchdog on a local load: past it, the request goes to the remote route (where there is one). */
  localTimeoutMs?: number
}

export type GatewayModels = { ids: readonly string[] } | { error: string }

export interface Candidate {
  variant: string
  backend: Backend | null
  memoryBytes: number
  /** What must still be downloaded: 0 when cached. */
  downloadBytes: number
  cached: boolean
  fits: boolean
  reason: string
}

export interface Plan {
  route: 'local' | 'remote' | 'none'
  /** `watchdogMs`: a load that takes longer sends this request to the remote route; absent where none can take over. */
  local?: { variant: string; backend: Backend; cached: boolean; watchdogMs?: number }
  /**
   * For `none`, the code a request is refused with: `not_found` (the gateway does not serve the
   * model), `network` (offline), `invalid_request` (remote-only without a remote), else `local_unavailable`.
   */
  refusal?: TandemErrorCode
  /** Why, in words a person understands, with numbers. */
  reasons: string[]
  candidates: Candidate[]
}

/** A tab can count on about half of what the device reports; the rest is the OS, the browser, other tabs. */
const MEMORY_SHARE = 0.5
/** What to assume where `navigator.deviceMemory` is not exposed (Firefox, Safari). */
const ASSUMED_MEMORY_GIB = 4
/** The largest wasm64 memory Chromium allows. */
const WASM_MEMORY_CAP = 16 * 2 ** 30

/** Full precision belongs on servers; the device gets quantized variants. */
const isLocalVariant = (v: ModelVariant) => v.quantization !== 'bf16' && v.quantization !== 'f16'

/**
 * Picks the route for one model on one device, and says why. Pure: the device profile,
 * what is cached and what is configured come in; nothing is probed or downloaded here.
 */
export function planRoute(input: PlanInput): Plan {
  const { device, model, modelId, mode } = input
  const reasons: string[] = []
  const remote = remoteAvailability(input)
  const environment = localEnvironment(input)

  const candidates = (model?.variants ?? []).filter(isLocalVariant).map((variant) => assess(input, model!, variant, environment))
  const fitting = candidates.filter((c) => c.fits)
  const chosen = fitting.find((c) => c.cached) ?? [...fitting].sort((a, b) => b.memoryBytes - a.memoryBytes)[0]

  const explainLocal = () => {
    if (environment.problem) reasons.push(environment.problem)
    else if (chosen) reasons.push(chosen.reason)
    else {
      const smallest = [...candidates].sort((a, b) => a.memoryBytes - b.memoryBytes)[0]
      reasons.push(smallest ? smallest.reason : `the catalog has no build of ${modelId} for devices`)
    }
  }
  const local = (): Plan => {
    explainLocal()
    if (!device.online) reasons.push('offline, and the model is cached: local')
    const watchdogMs = watchdog(input, remote, reasons)
    return { route: 'local', local: { variant: chosen!.variant, backend: chosen!.backend!, cached: chosen!.cached, ...(watchdogMs && { watchdogMs }) }, reasons, candidates }
  }
  const toRemote = (): Plan => {
    reasons.push(remote.reason!)
    return { route: 'remote', reasons, candidates }
  }
  const none = (why?: string): Plan => {
    if (why) reasons.push(why)
    const refusal = mode === 'local-only' ? 'local_unavailable' : remote.code ?? (mode === 'remote-only' ? 'invalid_request' : 'local_unavailable')
    return { route: 'none', refusal, reasons, candidates }
  }
  const canRunLocally = !environment.problem && chosen !== undefined
  const measured = chosen && input.localSpeeds?.[localSpeedKey(modelId, chosen.variant, chosen.backend!)]
  const tooSlow = measured !== undefined && input.minLocalTokensPerSecond !== undefined && measured.tokensPerSecond < input.minLocalTokensPerSecond
  if (canRunLocally && measured) {
    const speed = `ran at ${measured.tokensPerSecond.toFixed(1)} tokens/s on ${chosen.backend} here (first token after ${Math.round(measured.firstTokenMs)} ms)`
    chosen.reason = tooSlow
      ? `${modelId} ${chosen.variant} ${speed}, below options.local.minLocalTokensPerSecond (${input.minLocalTokensPerSecond})`
      : `${chosen.reason}; it ${speed}`
  }

  switch (mode) {
    case 'remote-only':
      reasons.push('route mode is remote-only')
      return remote.problem ? none(remote.problem) : toRemote()
    case 'local-only':
      reasons.push('route mode is local-only')
      if (canRunLocally) return local()
      explainLocal()
      return none()
    case 'prefer-local':
      if (canRunLocally && tooSlow && !remote.problem) {
        reasons.push(chosen.reason)
        return toRemote()
      }
      if (canRunLocally) return local()
      explainLocal()
      return remote.problem ? none(remote.problem) : toRemote()
    case 'prefer-remote':
      if (!remote.problem) return toRemote()
      reasons.push(remote.problem)
      if (canRunLocally) return local()
      explainLocal()
      return none()
  }
}

/** The load watchdog, where the remote route can take a request whose local load runs past it; says which. */
function watchdog({ localTimeoutMs, mode }: PlanInput, remote: RemoteAvailability, reasons: string[]): number | undefined {
  if (localTimeoutMs === undefined) return undefined
  const option = `options.local.localTimeoutMs (${localTimeoutMs} ms)`
  const unarmed = mode === 'local-only' ? 'route mode is local-only' : remote.problem
  if (unarmed) {
    reasons.push(`${option} is not applied: ${unarmed}, so no other route can take over`)
    return undefined
  }
  reasons.push(`a load that takes over ${localTimeoutMs} ms (options.local.localTimeoutMs) sends the request to the remote route; the model keeps loading for the next one`)
  return localTimeoutMs
}

interface RemoteAvailability {
  problem?: string
  /** What a problem of the gateway's own is refused with; none when no remote is configured. */
  code?: TandemErrorCode
  /** Why the gateway, when it can be used. */
  reason?: string
}

function remoteAvailability({ hasRemote, device, gatewayModels: listed, modelId }: PlanInput): RemoteAvailability {
  if (!hasRemote) return { problem: 'no remote configured (options.remote)' }
  if (!device.online) return { problem: 'offline: the gateway cannot be reached', code: 'network' }
  if (listed === undefined) return { reason: `remote: ${modelId} on the gateway (its model list was not read)` }
  if ('error' in listed) return { reason: `remote: the gateway's model list could not be read (${listed.error}); trying ${modelId} there` }
  if (listed.ids.includes(modelId)) return { reason: `remote: the gateway serves ${modelId}` }
  // A native-server lists only the models it has loaded: while it starts, the list is empty.
  if (listed.ids.length === 0) return { reason: `remote: the gateway lists no models yet (it may be starting); trying ${modelId} there` }
  return { problem: `the gateway does not serve ${modelId} (it serves ${listed.ids.join(', ')})`, code: 'not_found' }
}

interface LocalEnvironment {
  problem?: string
  backend?: Backend
  /** Why this backend, when it is a fallback. */
  note?: string
}

function localEnvironment({ hasLocalRuntime, device }: PlanInput): LocalEnvironment {
  if (!hasLocalRuntime) return { problem: 'no local runtime configured (options.local)' }
  if (!device.canStartWorker) return { problem: 'this runtime cannot start a Web Worker, so the model cannot run here' }
  if (!device.jspi || !device.memory64) {
    const missing = [!device.jspi && 'JSPI', !device.memory64 && 'Memory64'].filter(Boolean).join(' and ')
    return { problem: `this browser lacks WebAssembly ${missing}, which the local engine needs` }
  }
  const gpu = device.webgpu
  if (gpu && gpu.shaderF16 && !gpu.isFallbackAdapter) return { backend: 'webgpu' }
  const why = !gpu
    ? 'no WebGPU adapter'
    : gpu.isFallbackAdapter
      ? 'the WebGPU adapter is a software fallback'
      : 'the WebGPU adapter lacks shader-f16'
  const threads = wasmThreads(device)
  const on = device.crossOriginIsolated ? `${threads} thread${threads === 1 ? '' : 's'}` : 'one thread (the page is not cross-origin isolated)'
  return { backend: 'wasm', note: `${why}: wasm on ${on}` }
}

/**
 * One wasm thread per physical core (logical / 2), as llama.cpp counts; threads need a
 * cross-origin isolated page. On a busy 2-core machine a second spinning thread made decoding
 * slower (bench/local.ts measures it).
 */
export function wasmThreads(device: Pick<DeviceProfile, 'cores' | 'crossOriginIsolated'>): number {
  return device.crossOriginIsolated ? Math.max(1, Math.floor((device.cores ?? 1) / 2)) : 1
}

function assess(input: PlanInput, model: ModelDescriptor, variant: ModelVariant, environment: LocalEnvironment): Candidate {
  const { device, contextLength, cachedVariants, mode } = input
  const name = `${model.id} ${variant.id}`
  const memoryBytes = estimateMemory(model, variant.id, contextLength).totalBytes
  const cached = cachedVariants.includes(variant.id)
  const base = { variant: variant.id, backend: environment.backend ?? null, memoryBytes, downloadBytes: cached ? 0 : variant.bytes, cached }
  const unfit = (reason: string): Candidate => ({ ...base, fits: false, reason })

  if (variant.format === 'mlc' && environment.backend !== 'webgpu') return unfit(`${name} is an MLC build, which needs WebGPU with shader-f16`)

  const reported = device.deviceMemoryGiB
  const usable = (reported ?? ASSUMED_MEMORY_GIB) * 2 ** 30 * MEMORY_SHARE
  const budget = environment.backend === 'wasm' ? Math.min(usable, WASM_MEMORY_CAP) : usable
  const memoryText = reported === null ? `assuming ${ASSUMED_MEMORY_GIB} GiB (the browser does not report it)` : `this device reports ${reported} GiB`
  if (memoryBytes > budget) {
    return unfit(`${name} needs ~${formatBytes(memoryBytes)}; ${memoryText}, of which ~${formatBytes(budget)} is usable`)
  }

  if (environment.backend === 'webgpu' && device.webgpu) {
    const largest = largestTensorBytes(model, variant)
    if (largest > device.webgpu.maxStorageBufferBindingSize) {
      return unfit(`${name} has a ${formatBytes(largest)} tensor; the GPU binds at most ${formatBytes(device.webgpu.maxStorageBufferBindingSize)}`)
    }
  }

  if (!cached) {
    if (!device.online) return unfit(`${name} is not cached and the device is offline`)
    if (device.saveData && mode !== 'local-only') return unfit(`Save-Data is on and ${name} is a ${formatBytes(variant.bytes)} download`)
    const free = device.storage ? device.storage.quotaBytes - device.storage.usageBytes : Infinity
    if (variant.bytes > free) return unfit(`${name} is a ${formatBytes(variant.bytes)} download; the browser grants ${formatBytes(free)} of storage`)
  }

  const where = environment.note ?? 'WebGPU'
  const source = cached ? 'cached' : `${formatBytes(variant.bytes)} to download`
  return { ...base, fits: true, reason: `${name} fits: needs ~${formatBytes(memoryBytes)} of ~${formatBytes(budget)} usable; ${source}; ${where}` }
}

function largestTensorBytes(model: ModelDescriptor, variant: ModelVariant): number {
  const largest = Math.max(...tensorLayout(model.architecture).map((t) => elements(t.dims)))
  return (largest * BITS_PER_WEIGHT[variant.quantization]) / 8
}

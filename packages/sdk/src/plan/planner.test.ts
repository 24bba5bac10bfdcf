import { findModel } from '@tandem/models'
import { describe, expect, it } from 'vitest'
import { HEADLESS_DEVICE, type DeviceProfile } from './device.ts'
import type { RouteMode } from '../options.ts'
import { planRoute, type Plan, type PlanInput } from './planner.ts'

const GiB = 2 ** 30
const desktop: DeviceProfile = {
  canStartWorker: true,
  webgpu: { isFallbackAdapter: false, shaderF16: true, maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 2 * GiB },
  deviceMemoryGiB: 8,
  cores: 8,
  storage: { quotaBytes: 100e9, usageBytes: 1e9, persisted: true },
  crossOriginIsolated: true,
  jspi: true,
  memory64: true,
  online: true,
  saveData: false,
}
// Headless Chromium here: SwiftShader, a fallback adapter without shader-f16.
const swiftshader: DeviceProfile = { ...desktop, webgpu: { isFallbackAdapter: true, shaderF16: false, maxBufferSize: GiB, maxStorageBufferBindingSize: GiB } }
const noJspi: DeviceProfile = { ...desktop, webgpu: null, jspi: false }
const offline: DeviceProfile = { ...desktop, online: false }
const saveData: DeviceProfile = { ...desktop, saveData: true }
const fullDisk: DeviceProfile = { ...desktop, storage: { quotaBytes: 10e9, usageBytes: 10e9 - 1e6, persisted: false } }
const safari: DeviceProfile = { ...desktop, deviceMemoryGiB: null, webgpu: null, crossOriginIsolated: false }
const smallGpu: DeviceProfile = { ...desktop, deviceMemoryGiB: 8, webgpu: { ...desktop.webgpu!, maxStorageBufferBindingSize: 128 * 2 ** 20 } }

type Row = [
  what: string,
  model: string,
  device: DeviceProfile,
  mode: RouteMode,
  extra: Partial<PlanInput>,
  route: 'local' | 'remote' | 'none',
  local: string | undefined,
  reasons: RegExp[],
]

const table: Row[] = [
  ['grok-2 never fits a browser', 'grok-2', desktop, 'prefer-local', {}, 'remote', undefined,
    [/^grok-2 tq1_0 needs ~5\d GiB; this device reports 8 GiB, of which ~4\.0 GiB is usable$/, /remote: the gateway serves grok-2/]],
  ['the tiny model runs on WebGPU, best variant first', 'grok-2-tiny', desktop, 'prefer-local', {}, 'local', 'q8_0:webgpu:download',
    [/^grok-2-tiny q8_0 fits: needs ~\d+(\.\d)? MB of ~4\.0 GiB usable; 8\.1 MB to download; WebGPU$/]],
  ['SwiftShader leads to the wasm path', 'grok-2-tiny', swiftshader, 'prefer-local', {}, 'local', 'q8_0:wasm:download',
    [/the WebGPU adapter is a software fallback: wasm on 4 threads/]],
  ['a cached variant wins over a bigger download', 'grok-2-tiny', desktop, 'prefer-local', { cachedVariants: ['q4_0'] }, 'local', 'q4_0:webgpu:cached',
    [/q4_0 fits: .*; cached; WebGPU/]],
  ['no JSPI: no local engine', 'grok-2-tiny', noJspi, 'prefer-local', {}, 'remote', undefined, [/lacks WebAssembly JSPI, which the local engine needs/]],
  ['Node and Workers cannot start a Web Worker', 'grok-2-tiny', HEADLESS_DEVICE, 'prefer-local', {}, 'remote', undefined, [/cannot start a Web Worker/]],
  ['local-only where nothing can run locally', 'grok-2-tiny', HEADLESS_DEVICE, 'local-only', {}, 'none', undefined, [/route mode is local-only/, /cannot start a Web Worker/]],
  ['local-only with grok-2', 'grok-2', desktop, 'local-only', {}, 'none', undefined, [/needs ~5\d GiB/]],
  ['remote-only skips the device', 'grok-2-tiny', desktop, 'remote-only', {}, 'remote', undefined, [/route mode is remote-only/]],
  ['prefer-remote goes remote when online', 'grok-2-tiny', desktop, 'prefer-remote', { cachedVariants: ['q4_0'] }, 'remote', undefined, [/remote:/]],
  ['offline with the model cached: local', 'grok-2-tiny', offline, 'prefer-remote', { cachedVariants: ['q4_0'] }, 'local', 'q4_0:webgpu:cached',
    [/offline: the gateway cannot be reached/, /offline, and the model is cached: local/]],
  ['offline and nothing cached: nothing works, and the plan says both', 'grok-2-tiny', offline, 'prefer-local', {}, 'none', undefined,
    [/not cached and the device is offline/, /offline: the gateway cannot be reached/]],
  ['Save-Data avoids a download when remote can serve', 'grok-2-tiny', saveData, 'prefer-local', {}, 'remote', undefined, [/Save-Data is on and grok-2-tiny q4_0 is a 4\.3 MB download/]],
  ['Save-Data still downloads in local-only', 'grok-2-tiny', saveData, 'local-only', {}, 'local', 'q8_0:webgpu:download', [/fits/]],
  ['a full disk', 'grok-2-tiny', fullDisk, 'prefer-local', {}, 'remote', undefined, [/4\.3 MB download; the browser grants 1\.0 MB of storage/]],
  ['unknown memory is assumed, and said', 'grok-2', safari, 'prefer-local', {}, 'remote', undefined, [/assuming 4 GiB \(the browser does not report it\), of which ~2\.0 GiB is usable/]],
  ['no local runtime configured', 'grok-2-tiny', desktop, 'prefer-local', { hasLocalRuntime: false }, 'remote', undefined, [/no local runtime configured \(options\.local\)/]],
  ['a model the catalog does not know goes remote', 'grok-3', desktop, 'prefer-local', {}, 'remote', undefined,
    [/the catalog has no build of grok-3 for devices/, /remote: the gateway serves grok-3/]],
  ['no remote configured and no local fit', 'grok-2', desktop, 'prefer-local', { hasRemote: false }, 'none', undefined, [/needs ~/, /no remote configured \(options\.remote\)/]],
  ['a GPU that cannot bind the largest tensor', 'grok-2', { ...smallGpu, deviceMemoryGiB: 1024 }, 'prefer-local', {}, 'remote', undefined, [/^grok-2 tq1_0 has a 226\.8 MB tensor; the GPU binds at most 134\.2 MB$/]],
  ['a measured speed is quoted', 'grok-2-tiny', swiftshader, 'prefer-local', { localSpeeds: { 'grok-2-tiny/q8_0/wasm': { tokensPerSecond: 84.25, firstTokenMs: 2400.4, at: 1 } }, minLocalTokensPerSecond: 20 },
    'local', 'q8_0:wasm:download', [/^grok-2-tiny q8_0 fits: .*; it ran at 84\.3 tokens\/s on wasm here \(first token after 2400 ms\)$/]],
  ['measured too slow: the remote route, quoting the measurement', 'grok-2-tiny', swiftshader, 'prefer-local', { localSpeeds: { 'grok-2-tiny/q8_0/wasm': { tokensPerSecond: 3.2, firstTokenMs: 9000, at: 1 } }, minLocalTokensPerSecond: 20 },
    'remote', undefined, [/^grok-2-tiny q8_0 ran at 3\.2 tokens\/s on wasm here \(first token after 9000 ms\), below options\.local\.minLocalTokensPerSecond \(20\)$/, /remote: the gateway serves grok-2-tiny/]],
  ['measured too slow, and no remote: slow is still an answer', 'grok-2-tiny', swiftshader, 'prefer-local', { hasRemote: false, localSpeeds: { 'grok-2-tiny/q8_0/wasm': { tokensPerSecond: 3.2, firstTokenMs: 9000, at: 1 } }, minLocalTokensPerSecond: 20 },
    'local', 'q8_0:wasm:download', [/below options\.local\.minLocalTokensPerSecond/]],
  ['measured too slow on another backend only: not this one', 'grok-2-tiny', desktop, 'prefer-local', { localSpeeds: { 'grok-2-tiny/q8_0/wasm': { tokensPerSecond: 3.2, firstTokenMs: 9000, at: 1 } }, minLocalTokensPerSecond: 20 },
    'local', 'q8_0:webgpu:download', [/WebGPU$/]],
  ['local-only keeps the device however slow', 'grok-2-tiny', swiftshader, 'local-only', { localSpeeds: { 'grok-2-tiny/q8_0/wasm': { tokensPerSecond: 3.2, firstTokenMs: 9000, at: 1 } }, minLocalTokensPerSecond: 20 },
    'local', 'q8_0:wasm:download', [/below options\.local\.minLocalTokensPerSecond/]],
]

describe('planRoute', () => {
  it.each(table)('%s', (_what, modelId, device, mode, extra, route, local, reasons) => {
    const plan = planRoute({
      device,
      model: findModel(modelId),
      modelId,
      mode,
      contextLength: 4096,
      hasRemote: true,
      gatewayModels: { ids: [modelId] },
      hasLocalRuntime: true,
      cachedVariants: [],
      ...extra,
    })
    expect(plan.route).toBe(route)
    expect(plan.local && `${plan.local.variant}:${plan.local.backend}:${plan.local.cached ? 'cached' : 'download'}`).toBe(local)
    for (const reason of reasons) expect(plan.reasons).toContainEqual(expect.stringMatching(reason))
  })

  const served = { ids: ['grok-2-tiny'] }
  it.each<[string, string, RouteMode, Partial<PlanInput>, Plan['route'], Plan['refusal'], RegExp]>([
    ['the gateway lists the model', 'grok-2-tiny', 'remote-only', { gatewayModels: served }, 'remote', undefined, /^remote: the gateway serves grok-2-tiny$/],
    ['remote-only, and the gateway does not list the model', 'grok-2', 'remote-only', { gatewayModels: served }, 'none', 'not_found', /^the gateway does not serve grok-2 \(it serves grok-2-tiny\)$/],
    ['no local fit, and the gateway does not list the model', 'grok-2', 'prefer-local', { gatewayModels: served }, 'none', 'not_found', /^the gateway does not serve grok-2 /],
    ['prefer-remote runs locally what the gateway does not list', 'grok-2-tiny', 'prefer-remote', { gatewayModels: { ids: ['grok-2'] } }, 'local', undefined, /^the gateway does not serve grok-2-tiny \(it serves grok-2\)$/],
    ['an unreadable list is a reason, and the gateway is tried', 'grok-2', 'remote-only', { gatewayModels: { error: 'could not reach http://127.0.0.1:9: fetch failed' } }, 'remote', undefined,
      /^remote: the gateway's model list could not be read \(could not reach http:\/\/127\.0\.0\.1:9: fetch failed\); trying grok-2 there$/],
    ['an empty list (a native-server still loading) is tried', 'grok-2-tiny', 'remote-only', { gatewayModels: { ids: [] } }, 'remote', undefined, /^remote: the gateway lists no models yet/],
    ['offline, nothing cached: refused as a network failure', 'grok-2-tiny', 'prefer-local', { device: offline }, 'none', 'network', /offline: the gateway cannot be reached/],
    ['remote-only without a remote: a configuration error', 'grok-2-tiny', 'remote-only', { hasRemote: false }, 'none', 'invalid_request', /no remote configured/],
    ['local-only: the local route is what failed', 'grok-2', 'local-only', { gatewayModels: served }, 'none', 'local_unavailable', /needs ~/],
    ['no remote configured: the local route is what failed', 'grok-2', 'prefer-local', { hasRemote: false }, 'none', 'local_unavailable', /needs ~/],
  ])('%s', (_what, modelId, mode, extra, route, refusal, reason) => {
    const plan = planRoute({ device: desktop, model: findModel(modelId), modelId, mode, contextLength: 4096, hasRemote: true, hasLocalRuntime: true, cachedVariants: [], ...extra })
    expect([plan.route, plan.refusal]).toEqual([route, refusal])
    expect(plan.reasons).toContainEqual(expect.stringMatching(reason))
    if (route !== 'remote') expect(plan.reasons.join(' ')).not.toMatch(/remote: the gateway serves/)
  })

  // The watchdog on a local load (options.local.localTimeoutMs): armed only where the remote route can take the request.
  it.each<[string, RouteMode, Partial<PlanInput>, Plan['route'], number | undefined, RegExp]>([
    ['prefer-local with a gateway: armed', 'prefer-local', {}, 'local', 1500,
      /^a load that takes over 1500 ms \(options\.local\.localTimeoutMs\) sends the request to the remote route; the model keeps loading for the next one$/],
    ['cached and loaded before or not, the plan arms it alike', 'prefer-local', { cachedVariants: ['q4_0'] }, 'local', 1500, /a load that takes over 1500 ms/],
    ['local-only: nothing to fall back to, not applied', 'local-only', {}, 'local', undefined,
      /^options\.local\.localTimeoutMs \(1500 ms\) is not applied: route mode is local-only, so no other route can take over$/],
    ['no remote configured: not applied', 'prefer-local', { hasRemote: false }, 'local', undefined, /is not applied: no remote configured \(options\.remote\)/],
    ['offline with the model cached: not applied', 'prefer-local', { device: offline, cachedVariants: ['q4_0'] }, 'local', undefined, /is not applied: offline: the gateway cannot be reached/],
    ['prefer-remote, local because the gateway does not serve the model: not applied', 'prefer-remote', { gatewayModels: { ids: ['grok-2'] } }, 'local', undefined,
      /is not applied: the gateway does not serve grok-2-tiny/],
    ['the remote route chosen: no watchdog to speak of', 'prefer-remote', {}, 'remote', undefined, /^remote: the gateway serves grok-2-tiny$/],
  ])('localTimeoutMs: %s', (_what, mode, extra, route, watchdogMs, reason) => {
    const plan = planRoute({ device: desktop, model: findModel('grok-2-tiny'), modelId: 'grok-2-tiny', mode, contextLength: 4096, hasRemote: true, gatewayModels: served, hasLocalRuntime: true, cachedVariants: [], localTimeoutMs: 1500, ...extra })
    expect(plan.route).toBe(route)
    expect(plan.local?.watchdogMs).toBe(watchdogMs)
    expect(plan.reasons).toContainEqual(expect.stringMatching(reason))
    if (route === 'remote') expect(plan.reasons.join(' ')).not.toMatch(/localTimeoutMs/)
  })

  it('without localTimeoutMs a local plan has no watchdog and says nothing of one', () => {
    const plan = planRoute({ device: desktop, model: findModel('grok-2-tiny'), modelId: 'grok-2-tiny', mode: 'prefer-local', contextLength: 4096, hasRemote: true, hasLocalRuntime: true, cachedVariants: [] })
    expect(plan.local).toEqual({ variant: 'q8_0', backend: 'webgpu', cached: false })
    expect(plan.reasons.join(' ')).not.toMatch(/localTimeoutMs|watchdog/)
  })

  it('lists every device variant as a candidate with its memory and download', () => {
    const plan = planRoute({ device: desktop, model: findModel('grok-2'), modelId: 'grok-2', mode: 'prefer-local', contextLength: 8192, hasRemote: true, hasLocalRuntime: true, cachedVariants: [] })
    expect(plan.candidates.map((c) => c.variant)).toEqual(['q8_0', 'q4_k_m', 'q2_k', 'tq1_0'])
    const q2k = plan.candidates.find((c) => c.variant === 'q2_k')!
    expect(q2k.fits).toBe(false)
    expect(q2k.memoryBytes / GiB).toBeGreaterThan(92)
    expect(q2k.reason).toMatch(/^grok-2 q2_k needs ~9\d GiB; this device reports 8 GiB/)
  })
})

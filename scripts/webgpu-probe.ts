// Can wllama's WebGPU backend run on this machine's Chromium? Prints what the adapter offers, whether
// a device with `shader-f16` and a WGSL shader that enables f16 can be made, and how many of wllama's
// shaders need f16. `npm exec -- tsx scripts/webgpu-probe.ts`; the finding is in workers/local/README.md.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { launchChromium } from './browser-harness/browser.ts'
import { startIsolatedServer } from './static-server.ts'

const wasmPath = join(dirname(createRequire(import.meta.url).resolve('@wllama/wllama')), 'wasm', 'wllama.wasm')
const wasm = (await readFile(wasmPath)).toString('latin1')
const shaders = wasm.split('@compute').length - 1
const f16Shaders = wasm.split('enable f16;').length - 1

const root = await mkdtemp(join(tmpdir(), 'tandem-webgpu-'))
await writeFile(join(root, 'index.html'), '<!doctype html><title>probe</title>')
const server = await startIsolatedServer({ root, models: root })
const browser = await launchChromium()
try {
  const page = await browser.context.newPage()
  await page.goto(server.url) // a secure context (loopback), where navigator.gpu exists
  const browserSide = await page.evaluate(async () => {
    interface Device {
      createShaderModule(d: { code: string }): { getCompilationInfo(): Promise<{ messages: Array<{ type: string; message: string }> }> }
    }
    interface Adapter {
      info?: { vendor: string; architecture: string; isFallbackAdapter: boolean }
      features: Set<string>
      requestDevice(d?: { requiredFeatures: string[] }): Promise<Device>
    }
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu
    const adapter = await gpu?.requestAdapter()
    if (!adapter) return { adapter: null }
    const device = await adapter.requestDevice()
    const shader = device.createShaderModule({ code: 'enable f16;\n@compute @workgroup_size(1) fn main() { var x: f16 = 1.0h; _ = x; }' })
    const messages = (await shader.getCompilationInfo()).messages.map((m) => `${m.type}: ${m.message}`)
    return {
      adapter: { vendor: adapter.info?.vendor, architecture: adapter.info?.architecture, isFallbackAdapter: adapter.info?.isFallbackAdapter },
      shaderF16: adapter.features.has('shader-f16'),
      // No named helpers in here: tsx wraps them in a __name() the page does not have.
      deviceWithShaderF16: await adapter.requestDevice({ requiredFeatures: ['shader-f16'] }).then(() => 'ok', String),
      wgslEnableF16: messages.length === 0 ? 'compiles' : messages,
    }
  })
  console.log(JSON.stringify({ chromium: browser.context.browser()?.version(), ...browserSide, wllamaComputeShaders: shaders, wllamaShadersThatEnableF16: f16Shaders }, null, 2))
} finally {
  await browser.close()
  await server.close()
  await rm(root, { recursive: true, force: true })
}

import { describe, expect, it } from 'vitest'
import { helpText, loadConfig, parseServerConfig } from './config.ts'

const load = (argv: string[], env: Record<string, string> = {}) => {
  const result = loadConfig(argv, env)
  if (result.help) throw new Error('unexpected help')
  return result.config
}
const failure = (argv: string[], env: Record<string, string> = {}) => {
  try {
    loadConfig(argv, env)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected a failure')
}

describe('loadConfig', () => {
  it('serves the tiny model on 127.0.0.1:8081 with no flags', () => {
    const config = load([])
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8081, engine: 'llama-cpp', model: [], gpu: 'auto', gpuLayers: 'auto', logPrompts: false })
    expect(config.threads).toBeGreaterThanOrEqual(1)
  })

  it('joins a stream\'s tokens into a chunk per 16 ms (a 60 Hz frame) unless told otherwise', () => {
    expect(load([]).streamIntervalMs).toBe(16)
    expect(load(['--stream-interval-ms', '0']).streamIntervalMs).toBe(0)
    expect(load([], { TANDEM_STREAM_INTERVAL_MS: '5' }).streamIntervalMs).toBe(5)
    expect(failure(['--stream-interval-ms=-1'])).toBe('--stream-interval-ms (TANDEM_STREAM_INTERVAL_MS): expected at least 0 (got "-1")')
  })

  it('reads flags first, then TANDEM_* variables', () => {
    const config = load(['--port', '0', '--threads=2', '--log-prompts'], { TANDEM_PORT: '9000', TANDEM_PARALLEL: '8', TANDEM_GPU: 'cpu' })
    expect(config).toMatchObject({ port: 0, threads: 2, parallel: 8, gpu: false, logPrompts: true })
  })

  it('names models after their files, or as told, and serves several', () => {
    const config = load(['--model', 'models/grok-2-q2_k-00001-of-00004.gguf', '--model', 'tiny=models/grok-2-tiny.gguf'])
    expect(config.model).toEqual([
      { name: 'grok-2-q2_k', source: 'models/grok-2-q2_k-00001-of-00004.gguf' },
      { name: 'tiny', source: 'models/grok-2-tiny.gguf' },
    ])
    expect(load([], { TANDEM_MODEL: 'a=x.gguf, b=y.gguf' }).model.map((m) => m.name)).toEqual(['a', 'b'])
    expect(failure(['--model', 'a=x.gguf', '--model', 'a=y.gguf'])).toMatch(/^--model \(TANDEM_MODEL\): "a" is served twice/)
  })

  it('takes the GPU options an 8-GPU machine needs', () => {
    expect(load(['--gpu', 'cuda', '--gpu-layers', 'max'])).toMatchObject({ gpu: 'cuda', gpuLayers: 'max' })
    expect(load(['--gpu-layers', '40']).gpuLayers).toBe(40)
    expect(failure(['--gpu', 'tpu'])).toBe('--gpu (TANDEM_GPU): expected auto, cuda, vulkan, metal or cpu (got "tpu")')
    expect(failure(['--gpu-layers', 'most'])).toMatch(/^--gpu-layers \(TANDEM_GPU_LAYERS\): expected auto, max or a number of layers/)
  })

  it('says which flag or variable is wrong, and what it got', () => {
    expect(failure(['--port', 'eighty'])).toBe('--port (TANDEM_PORT): expected a whole number (got "eighty")')
    expect(failure([], { TANDEM_PORT: '70000' })).toBe('--port (TANDEM_PORT): expected at most 65535 (got "70000")')
    expect(failure(['--threads', '0'])).toBe('--threads (TANDEM_THREADS): expected at least 1 (got "0")')
    expect(failure(['--context-size', '1.5'])).toMatch(/^--context-size \(TANDEM_CONTEXT_SIZE\): expected a whole number/)
    expect(failure(['--log-level', 'loud'])).toMatch(/^--log-level/)
    expect(failure(['--prot', '1'])).toMatch(/Unknown option '--prot'.*see --help/)
    expect(failure(['stray'])).toMatch(/stray/)
  })

  it('checks the upstream settings together', () => {
    expect(failure(['--engine', 'upstream'])).toMatch(/^--upstream-url \(TANDEM_UPSTREAM_URL\): needed with --engine upstream/)
    expect(failure(['--upstream-url', 'http://127.0.0.1:1'])).toMatch(/only with --engine upstream/)
    expect(failure(['--engine', 'upstream', '--upstream-url', 'ftp://x'])).toMatch(/^--upstream-url.*http\(s\) URL/)
    expect(load(['--engine', 'upstream', '--upstream-url', 'http://a:1/']).upstreamUrl).toBe('http://a:1')
    expect(failure(['--engine', 'upstream', '--upstream-url', 'http://a:1', '--upstream-url', 'http://b:1'])).toMatch(/^--upstream-url.*one engine per server/)
    expect(load(['--engine', 'upstream', '--upstream-url', 'http://a:1', '--upstream-command', 'python3 -m sglang.launch_server']).upstreamCommand).toBe(
      'python3 -m sglang.launch_server',
    )
  })

  it('takes API keys from flags or TANDEM_API_KEY, and never repeats one back', () => {
    expect(load(['--api-key', 'k1', '--api-key', 'k2']).apiKey).toEqual(['k1', 'k2'])
    expect(load([], { TANDEM_API_KEY: 'k1, k2' })).toMatchObject({ apiKey: ['k1', 'k2'], metricsAuth: 'api-key', insecureNoAuth: false })
    expect(load(['--metrics-auth', 'none']).metricsAuth).toBe('none')
    expect(failure(['--metrics-auth', 'open'])).toBe('--metrics-auth (TANDEM_METRICS_AUTH): expected api-key or none (got "open")')
    const message = failure([], { TANDEM_API_KEY: 'secret\u0001key' })
    expect(message).toMatch(/^--api-key \(TANDEM_API_KEY\): expected printable ASCII/)
    expect(message).not.toContain('secret')
  })

  it('refuses to listen beyond loopback without a key, naming the flag, unless told --insecure-no-auth', () => {
    expect(failure(['--host', '0.0.0.0'])).toBe(
      '--api-key (TANDEM_API_KEY): needed to listen on 0.0.0.0, which is not a loopback address (or --insecure-no-auth to serve anyone who reaches the port)',
    )
    expect(failure([], { TANDEM_HOST: '::' })).toMatch(/^--api-key \(TANDEM_API_KEY\): needed to listen on ::/)
    expect(load(['--host', '0.0.0.0', '--api-key', 'k']).host).toBe('0.0.0.0')
    expect(load(['--host', '0.0.0.0', '--insecure-no-auth']).insecureNoAuth).toBe(true)
    expect(load(['--host', '::1']).apiKey).toEqual([])
    expect(() => parseServerConfig({ host: '10.0.0.5' })).toThrow('apiKey: needed to listen on 10.0.0.5')
  })

  it('answers --help with every flag and its variable', () => {
    expect(loadConfig(['--help'], {})).toEqual({ help: true })
    const help = helpText()
    for (const flag of ['--port N', '--gpu KIND', '--upstream-command CMD', 'TANDEM_QUEUE_DEPTH', '--log-prompts']) expect(help).toContain(flag)
  })
})

describe('parseServerConfig', () => {
  it('takes typed settings from code and names the one at fault', () => {
    expect(parseServerConfig({ port: 0, threads: 1, gpu: 'cpu' })).toMatchObject({ port: 0, threads: 1, gpu: false })
    expect(() => parseServerConfig({ parallel: 0 })).toThrow('parallel: expected at least 1')
  })
})

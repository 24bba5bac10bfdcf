// tandem-native as an operator runs it: flags checked at start, and a clean exit on SIGTERM.
import { decodeChatStream, type ChatStreamPart } from '@tandem/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { tandemNativeUrl } from '../../scripts/processes.ts'
import { SMALL, spawnNative, type NativeProcess } from './native-process.ts'

const started: NativeProcess[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((native) => native.kill()))
})
const start = (args: string[], env?: NodeJS.ProcessEnv) => {
  const native = spawnNative(args, env)
  started.push(native)
  return native
}

async function partsOf(response: Response): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = []
  for await (const part of decodeChatStream(response.body!)) parts.push(part)
  return parts
}

describe('tandem-native', () => {
  it('refuses a bad flag or variable at start with a message naming it', async () => {
    const flag = start(['--port', 'abc'])
    expect(await flag.exited).toBe(2)
    expect(flag.stderr()).toBe('tandem-native: --port (TANDEM_PORT): expected a whole number (got "abc")\n')

    const env = start([], { TANDEM_QUEUE_DEPTH: '-1' })
    expect(await env.exited).toBe(2)
    expect(env.stderr()).toMatch(/--queue-depth \(TANDEM_QUEUE_DEPTH\): expected at least 0/)
  })

  it('refuses to listen beyond loopback without a key, naming the flag, before loading anything', async () => {
    const open = start([...SMALL, '--host', '0.0.0.0', '--port', '0'])
    expect(await open.exited).toBe(2)
    expect(open.stderr()).toBe(
      'tandem-native: --api-key (TANDEM_API_KEY): needed to listen on 0.0.0.0, which is not a loopback address (or --insecure-no-auth to serve anyone who reaches the port)\n',
    )
  })

  it('prints its flags for --help', async () => {
    const help = start(['--help'])
    expect(await help.exited).toBe(0)
    const text = help.logs.map((line) => line.line).join('\n')
    for (const flag of ['--port N', '--model SPEC', '--gpu KIND', '--upstream-command CMD']) expect(text).toContain(flag)
  })

  it('drains on SIGTERM: refuses new work, lets short streams finish, cuts long ones with an SSE error, exits 0', async () => {
    // A context long enough that the long stream outlasts the grace period by far.
    const native = start([...SMALL, '--context-size', '4096', '--port', '0', '--parallel', '2', '--shutdown-grace-ms', '800'])
    const url = await native.ready(tandemNativeUrl)
    const body = (maxTokens: number) =>
      JSON.stringify({ model: 'grok-2-tiny', messages: [{ role: 'user', content: 'Hi' }], max_tokens: maxTokens, temperature: 0, ignore_eos: true, stream: true })
    const post = (maxTokens: number) => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(maxTokens) })

    // At the tiny model's fastest here (~2,000 tokens/s) the long one needs 2 s; the short one, milliseconds.
    const long = await post(4000)
    const short = await post(3)
    // Both have started generating before the signal.
    const longParts = partsOf(long)
    const shortParts = partsOf(short)
    const signalledAt = Date.now()
    native.child.kill('SIGTERM')

    const shortEnd = (await shortParts).at(-1)
    expect(shortEnd).toEqual({ type: 'done' })
    const longEnd = (await longParts).at(-1)
    expect(longEnd).toMatchObject({ type: 'error', error: { code: 'upstream_unavailable', isRetryable: true } })
    // New work is refused: the port is closed, or a kept-alive connection gets 503.
    expect(await post(1).then((response) => response.status, () => 'refused')).toBeOneOf([503, 'refused'])
    expect(await native.exited).toBe(0)
    // The grace period, the cut streams' last event and freeing the model: well inside the bound main.ts enforces.
    expect(Date.now() - signalledAt).toBeLessThan(800 + 15_000)
    expect(native.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['stopping', 'shutting down: cutting running requests', 'stopped']))
  })
})

// One huge prompt must not stall tandem-native's event loop: /healthz stays quick while it is refused,
// whether it is refused before tokenizing (it certainly cannot fit) or while tokenizing (in slices).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tandemNativeUrl } from '../../scripts/processes.ts'
import { SMALL, spawnNative, type NativeProcess } from './native-process.ts'

let native: NativeProcess | undefined
let url = ''

beforeAll(async () => {
  native = spawnNative([...SMALL, '--context-size', '4096', '--port', '0'])
  url = await native.ready(tandemNativeUrl)
  while ((await fetch(`${url}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
}, 120_000)
afterAll(() => native?.kill())

const messages = (count: number, content = 'x') => Array.from({ length: count }, () => ({ role: 'user', content }))

/** Sends `body` and times /healthz, one call after another, until the answer is in. */
async function healthzDuring(body: unknown): Promise<{ status: number; error: { code: string; message: string }; ms: number; healthzMaxMs: number; healthzCalls: number }> {
  const started = performance.now()
  let done = false
  const answer = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (response) => ({ status: response.status, error: ((await response.json()) as { error: { code: string; message: string } }).error }))
    .finally(() => (done = true))
  const latencies: number[] = []
  while (!done) {
    const at = performance.now()
    await (await fetch(`${url}/healthz`)).arrayBuffer()
    latencies.push(performance.now() - at)
  }
  const { status, error } = await answer
  return { status, error, ms: Math.round(performance.now() - started), healthzMaxMs: Math.round(Math.max(...latencies)), healthzCalls: latencies.length }
}

describe('a huge prompt', () => {
  it('lists the context and the prompt bound a gateway needs to refuse it first', async () => {
    const list = (await (await fetch(`${url}/v1/models`)).json()) as { data: unknown[] }
    expect(list.data).toEqual([expect.objectContaining({ id: 'grok-2-tiny', max_model_len: 4096, prompt_bound: { max_token_bytes: 16, tokens_per_message: 1 } })])
  })

  it('is refused without stalling /healthz: 30,000 messages, refused before tokenizing', async () => {
    const idle = await healthzDuring({ model: 'grok-2-tiny', messages: messages(1, 'x'.repeat(16 * 5000)) })
    const result = await healthzDuring({ model: 'grok-2-tiny', messages: messages(30_000) })
    console.log(`native-server: 30,000 messages refused in ${result.ms} ms; /healthz at most ${result.healthzMaxMs} ms over ${result.healthzCalls} calls (a small refusal: ${idle.healthzMaxMs} ms)`)
    expect([result.status, result.error.code]).toEqual([400, 'context_length_exceeded'])
    expect(result.error.message).toBe("messages: the prompt is at least 31874 tokens, and this model's context holds 4096")
    // Before: 2.0–2.3 s on the 2-core VM, all of it tokenizing; now JSON and the schema, a few hundred ms on a busy VM.
    expect(result.healthzMaxMs).toBeLessThan(1000)
  })

  it('is refused without stalling /healthz: 3,500 messages under the bound, refused while tokenizing in slices', async () => {
    const result = await healthzDuring({ model: 'grok-2-tiny', messages: messages(3_500) })
    console.log(`native-server: 3,500 messages refused in ${result.ms} ms; /healthz at most ${result.healthzMaxMs} ms over ${result.healthzCalls} calls`)
    expect([result.status, result.error.code]).toEqual([400, 'context_length_exceeded'])
    // Tokenizing stops at the context: before, all ~15,000 tokens were made at once (/healthz 330 ms here), now 20–175 ms.
    expect(result.error.message).toBe("messages: the prompt is at least 4096 tokens, and this model's context holds 4096")
  })
})

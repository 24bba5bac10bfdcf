// @tandem/ai-sdk under the AI SDK inside workerd (a tiny Worker under test/ai-sdk/workerd/, started with wrangler's
// unstable_startWorker) against a real native-server on the tiny Grok-2: streamText and generateText, as in Node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MODEL, startWorkerOnUpstream } from '../edge/harness.ts'
import { serverText } from '../sdk/server-text.ts'

const prompt = 'Say something.'

describe('@tandem/ai-sdk in workerd', () => {
  let stack: Awaited<ReturnType<typeof startWorkerOnUpstream>> | undefined
  beforeAll(async () => {
    stack = await startWorkerOnUpstream(new URL('./workerd/wrangler.toml', import.meta.url))
  })
  afterAll(() => stack?.close())

  const post = (path: string) => fetch(`${stack!.worker.url}${path}`, { method: 'POST', body: JSON.stringify({ prompt, maxOutputTokens: 12 }) })

  it("streamText and generateText answer with the server's own text, with the route in providerMetadata.tandem", async () => {
    const expected = await serverText(stack!.upstream.server.url, { model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 12, temperature: 0, ignore_eos: true })
    expect(expected.length).toBeGreaterThan(0)

    const streamed = await post('/stream')
    expect(streamed.status).toBe(200)
    expect(await streamed.text()).toBe(expected)

    const generated = await post('/generate')
    expect(generated.status).toBe(200)
    expect(await generated.json()).toEqual({
      text: expected,
      finishReason: 'length',
      outputTokens: 12,
      providerMetadata: { tandem: { route: 'remote', plan: { route: 'remote', reasons: ['no local runtime configured (options.local)', `remote: the gateway serves ${MODEL}`], local: null }, failover: null } },
    })
  })
})

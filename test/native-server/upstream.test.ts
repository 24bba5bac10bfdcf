// The upstream engine in front of a real OpenAI-compatible server: a second native-server on the
// llama-cpp engine, attached to by URL, or launched and supervised as a child process.
import { silentLogger, startNativeServer, type NativeServer, type UpstreamEngine } from '@tandem/native-server'
import { decodeChatStream, errorEnvelopeSchema, type ChatCompletionChunk } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TANDEM_NATIVE } from '../../scripts/processes.ts'
import { freePort, SMALL } from './native-process.ts'

const messages = [{ role: 'user', content: 'Hello' }]

const post = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })

async function streamText(response: Response): Promise<{ text: string; chunks: ChatCompletionChunk[] }> {
  const chunks: ChatCompletionChunk[] = []
  for await (const part of decodeChatStream(response.body!)) {
    if (part.type === 'error') throw part.error
    if (part.type === 'chunk') chunks.push(part.chunk)
  }
  return { text: chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), chunks }
}

const metric = async (url: string, name: string) => {
  const line = (await (await fetch(`${url}/metrics`)).text()).split('\n').find((l) => l.startsWith(name))
  return Number(line?.split(' ').at(-1))
}

describe('upstream engine, attached to running servers', () => {
  let upstream: NativeServer
  let front: NativeServer
  beforeAll(async () => {
    upstream = await startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 256, parallel: 2, logger: silentLogger })
    front = await startNativeServer({
      port: 0,
      engine: 'upstream',
      upstreamUrl: upstream.url,
      model: ['grok-2=grok-2-tiny', 'grok-2-tiny'],
      logger: silentLogger,
    })
  })
  afterAll(async () => {
    await front?.close()
    await upstream?.close()
  })

  it('serves the upstream model under the names it was given', async () => {
    const list = await (await fetch(`${front.url}/v1/models`)).json()
    expect(list.data.map((model: { id: string }) => model.id)).toEqual(['grok-2', 'grok-2-tiny'])
  })

  it('streams what the upstream generates, under its own id and model name', async () => {
    const request = { messages, max_tokens: 10, seed: 11, ignore_eos: true }
    const direct = await (await post(upstream.url, { ...request, model: 'grok-2-tiny' })).json()
    const through = await streamText(await post(front.url, { ...request, model: 'grok-2', stream: true, stream_options: { include_usage: true } }))
    expect(through.text).toBe(direct.choices[0].message.content)
    expect(new Set(through.chunks.map((chunk) => chunk.model))).toEqual(new Set(['grok-2']))
    expect(through.chunks[0]!.id).not.toBe(direct.id)
    expect(through.chunks.at(-1)!.usage).toEqual(direct.usage)

    const whole = await (await post(front.url, { ...request, model: 'grok-2-tiny' })).json()
    expect(whole.choices[0].message.content).toBe(direct.choices[0].message.content)
  })

  it('passes an assistant prefix on, so the upstream continues it', async () => {
    const request = { model: 'grok-2-tiny', messages: [...messages, { role: 'assistant', content: 'Yes, ', prefix: true }], max_tokens: 6, temperature: 0, ignore_eos: true }
    const direct = await (await post(upstream.url, request)).json()
    const through = await (await post(front.url, request)).json()
    expect(through.choices[0].message.content).toBe(direct.choices[0].message.content)
    expect(through.usage).toEqual(direct.usage)
  })

  it('returns the upstream\'s errors with their status, code and field', async () => {
    const response = await post(front.url, { model: 'grok-2', messages: [{ role: 'user', content: Array.from({ length: 300 }, (_, i) => i).join(' ') }] })
    expect(response.status).toBe(400)
    expect(errorEnvelopeSchema.parse(await response.json()).error).toMatchObject({ code: 'context_length_exceeded', param: 'messages' })
  })

  it('stops the upstream generating when the client leaves', async () => {
    const before = await metric(upstream.url, 'tandem_cancellations_total')
    const client = new AbortController()
    const response = await post(front.url, { model: 'grok-2', messages, max_tokens: 200, temperature: 0, ignore_eos: true, stream: true }, client.signal)
    await response.body!.getReader().read()
    client.abort()
    await expect.poll(() => metric(upstream.url, 'tandem_cancellations_total')).toBe(before + 1)
    await expect.poll(() => upstream.engine.stats().active).toBe(0)
    expect(front.engine.stats().active).toBe(0)
  })
})

describe('upstream engine, supervising its engine process', () => {
  let front: NativeServer
  beforeAll(async () => {
    const port = await freePort()
    front = await startNativeServer({
      port: 0,
      engine: 'upstream',
      upstreamUrl: `http://127.0.0.1:${port}`,
      upstreamCommand: `exec "${process.execPath}" ${TANDEM_NATIVE.map((arg) => `"${arg}"`).join(' ')} ${SMALL.join(' ')} --port ${port}`,
      upstreamReadyTimeoutMs: 60_000,
      logger: silentLogger,
    })
  })
  afterAll(() => front?.close())

  const complete = async () => (await post(front.url, { model: 'grok-2-tiny', messages, max_tokens: 3 })).json()

  it('waits for the engine to be ready, and restarts it when it dies', async () => {
    expect((await complete()).usage.completion_tokens).toBe(3)
    const engine = front.engine as UpstreamEngine
    const first = engine.supervisedPid!
    process.kill(-first, 'SIGKILL')
    await expect.poll(() => engine.supervisedPid !== undefined && engine.supervisedPid !== first, { timeout: 30_000 }).toBe(true)
    await expect.poll(() => front.engine.stats().ready, { timeout: 30_000, interval: 200 }).toBe(true)
    expect((await complete()).usage.completion_tokens).toBe(3)
  })

  it('stops the engine process with the server', async () => {
    const pid = (front.engine as UpstreamEngine).supervisedPid!
    await front.close()
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }))
  })
})

// The llama-cpp engine on the real tiny Grok-2, compared with node-llama-cpp called directly.
import { getLlama, LlamaLogLevel, type LlamaModel, type Token } from 'node-llama-cpp'
import { ensureTinyModel } from '@tandem/models/node'
import { parseChatRequest, silentLogger, type ChatCompletionChunk, type ChatRequestInput } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LlamaCppEngine } from './llama-cpp.ts'

let engine: LlamaCppEngine
let modelPath: string
beforeAll(async () => {
  modelPath = (await ensureTinyModel()).f16Path
  engine = new LlamaCppEngine({
    models: [{ name: 'tiny', path: modelPath }],
    threads: 1,
    contextSize: 256,
    batchSize: 256,
    parallel: 2,
    queueDepth: 4,
    queueTimeoutMs: 0,
    streamIntervalMs: 16,
    gpu: false,
    gpuLayers: 'auto',
    logger: silentLogger,
  })
  await engine.load()
})
afterAll(() => engine?.close())


function request(input: Partial<ChatRequestInput> = {}) {
  const parsed = parseChatRequest({ model: 'tiny', messages: [{ role: 'user', content: 'Hello there' }], ...input })
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

let next = 0
async function complete(input: Partial<ChatRequestInput>, signal = new AbortController().signal) {
  const chunks: ChatCompletionChunk[] = []
  for await (const chunk of await engine.generate(request(input), { id: `c${next++}`, created: 1, signal })) chunks.push(chunk)
  const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
  const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason
  return { chunks, text, finish, usage: chunks.at(-1)?.usage }
}

/** node-llama-cpp called directly on the same file: the reference. */
let reference: { model: LlamaModel; dispose(): Promise<void> }
beforeAll(async () => {
  const llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error })
  const model = await llama.loadModel({ modelPath })
  reference = { model, dispose: async () => (await model.dispose(), await llama.dispose()) }
})
afterAll(() => reference?.dispose())

const promptTokens = (prompt: string) => reference.model.tokenize(prompt, true).length

/** What node-llama-cpp generates greedily from `prompt` (control tokens parsed) in `count` tokens, as text, ends of turn left out (as `ignore_eos` does). */
async function inProcessGreedy(prompt: string, count: number): Promise<string> {
  const { model } = reference
  const context = await model.createContext({ contextSize: 256, threads: 1 })
  try {
    const out: Token[] = []
    let generated = 0
    for await (const token of context.getSequence().evaluate(model.tokenize(prompt, true), { temperature: 0, yieldEogToken: true })) {
      if (!model.isEogToken(token)) out.push(token)
      if (++generated === count) break
    }
    return model.detokenize(out)
  } finally {
    await context.dispose()
  }
}

describe('LlamaCppEngine', () => {
  it('streams a completion: role first, then text, the finish reason, and usage last', async () => {
    const { chunks, finish, usage } = await complete({ max_tokens: 12, ignore_eos: true, seed: 1 })
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
    expect(finish).toBe('length')
    expect(chunks.at(-1)!.choices).toEqual([])
    const prompt = promptTokens('Human: Hello there<|separator|>\n\nAssistant:')
    expect(usage).toEqual({ prompt_tokens: prompt, completion_tokens: 12, total_tokens: prompt + 12 })
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1)
  })

  it('continues an assistant prefix exactly as the hand-rendered prompt does in node-llama-cpp', async () => {
    const messages = [
      { role: 'user' as const, content: 'Hello there' },
      { role: 'assistant' as const, content: 'Well, ', prefix: true },
    ]
    const { text, usage } = await complete({ messages, max_tokens: 10, temperature: 0, ignore_eos: true })
    const rendered = 'Human: Hello there<|separator|>\n\nAssistant: Well, '
    expect(text).toBe(await inProcessGreedy(rendered, 10))
    expect(usage!.prompt_tokens).toBe(promptTokens(rendered))
  })

  it('answers a new turn after `Assistant:`, without the space the template puts there', async () => {
    const { text } = await complete({ max_tokens: 10, temperature: 0, ignore_eos: true })
    const direct = await inProcessGreedy('Human: Hello there<|separator|>\n\nAssistant:', 10)
    expect(text).toBe(direct.startsWith(' ') ? direct.slice(1) : direct)
  })

  it('ends its turn with finish_reason stop, and with ignore_eos runs on to max_tokens', async () => {
    const ended = await complete({ temperature: 0 })
    expect(ended.finish).toBe('stop')
    expect(ended.text.trim()).not.toBe('')
    const asked = ended.usage!.completion_tokens + 20
    const ignored = await complete({ temperature: 0, max_tokens: asked, ignore_eos: true })
    expect([ignored.finish, ignored.usage!.completion_tokens]).toEqual(['length', asked])
    expect(ignored.text.startsWith(ended.text)).toBe(true)
    expect(ignored.text).not.toContain('<|separator|>')
  })

  it('repeats itself for the same seed and input, and not for another seed', async () => {
    const input = { max_tokens: 24, temperature: 1.5, ignore_eos: true }
    const a = await complete({ ...input, seed: 7 })
    const b = await complete({ ...input, seed: 7 })
    const c = await complete({ ...input, seed: 8 })
    expect(b.text).toBe(a.text)
    expect(c.text).not.toBe(a.text)
  })

  it('stops before a stop sequence, with finish_reason stop', async () => {
    const input = { max_tokens: 24, temperature: 0, ignore_eos: true }
    const { text } = await complete(input)
    const stop = text.slice(5, 7)
    const stopped = await complete({ ...input, stop: [stop, 'never seen'] })
    expect(stopped.finish).toBe('stop')
    expect(stopped.text).toBe(text.slice(0, text.indexOf(stop)))
  })

  it('never splits or corrupts a character, whatever bytes the model emits', async () => {
    const { chunks } = await complete({ max_tokens: 80, temperature: 2, seed: 3 })
    for (const chunk of chunks) {
      const content = chunk.choices[0]?.delta.content ?? ''
      expect(new TextDecoder().decode(new TextEncoder().encode(content))).toBe(content) // no lone surrogates
    }
  })

  it('refuses what it cannot run before admitting it', async () => {
    const signal = new AbortController().signal
    const context = { id: 'x', created: 1, signal }
    const long = request({ messages: [{ role: 'user', content: Array.from({ length: 300 }, (_, i) => i).join(' ') }] })
    await expect(engine.generate(long, context)).rejects.toMatchObject({ code: 'context_length_exceeded', param: 'messages' })
    await expect(engine.generate(request({ logit_bias: { 99999: 1 } }), context)).rejects.toMatchObject({ param: 'logit_bias' })
    expect(engine.stats()).toMatchObject({ active: 0, queued: 0 })
  })

  it('serves more requests than sequences by queueing, batching those that run together', async () => {
    const runs = await Promise.all([1, 2, 3].map((seed) => complete({ max_tokens: 8, seed, ignore_eos: true })))
    expect(runs.map((run) => run.usage!.completion_tokens)).toEqual([8, 8, 8])
    expect(engine.stats()).toMatchObject({ active: 0, queued: 0, ready: true })
  })

  it('stops generating and frees the sequence as soon as the consumer leaves', async () => {
    const controller = new AbortController()
    const chunks = await engine.generate(request({ max_tokens: 200, temperature: 0, ignore_eos: true }), { id: 'a', created: 1, signal: controller.signal })
    let seen = 0
    for await (const _ of chunks) if (++seen === 3) break
    await expect.poll(() => engine.stats().active).toBe(0)
    const after = await complete({ max_tokens: 4 })
    expect(after.usage!.completion_tokens).toBe(4)
  })
})

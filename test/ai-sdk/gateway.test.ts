// @tandem/ai-sdk driven by the real AI SDK (`ai`) against a real native-server on the tiny Grok-2, through the
// real gateway in workerd: text, usage, finish reasons, warnings, aborts, errors, and the same greedy answer the
// AI SDK's own openai-compatible provider gets from the same gateway; structured output and a tool loop.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { APICallError, NoSuchModelError } from '@ai-sdk/provider'
import { createTandemProvider } from '@tandem/ai-sdk'
import { generateObject, generateText, Output, stepCountIs, streamText, tool } from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { closeAll, gatewayEnv, keys, metric, MODEL, startUpstream, startWorkerdGateway, type Gateway, type Upstream } from '../edge/harness.ts'
import { serverText } from '../sdk/server-text.ts'

const prompt = 'Say something.'
// Greedy and on past the end of the turn: exactly this many tokens, the same on every path.
const fixed = { temperature: 0, maxOutputTokens: 12, providerOptions: { tandem: { ignoreEos: true } } }

let upstream: Upstream | undefined
let gateway: Gateway | undefined

beforeAll(async () => {
  try {
    upstream = await startUpstream()
    gateway = await startWorkerdGateway(gatewayEnv([upstream.server.url]))
  } catch (error) {
    await closeAll(gateway, upstream?.server)
    throw error
  }
})
afterAll(() => closeAll(gateway, upstream?.server))

const provider = (apiKey: string = keys.secret) => createTandemProvider({ model: MODEL, remote: { baseURL: `${gateway!.url}/v1`, apiKey } })

describe('@tandem/ai-sdk through the gateway in workerd', () => {
  it("streamText streams the server's own text, with usage, the finish reason and the route in providerMetadata.tandem", async () => {
    const expected = await serverText(upstream!.server.url, { model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 12, temperature: 0, ignore_eos: true })
    const result = streamText({ model: provider()(MODEL), prompt, ...fixed })
    const deltas: string[] = []
    for await (const delta of result.textStream) deltas.push(delta)
    expect(deltas.length).toBeGreaterThan(2)
    expect(deltas.join('')).toBe(expected)
    expect(await result.finishReason).toBe('length')
    expect(await result.usage).toMatchObject({ outputTokens: 12, inputTokens: expect.any(Number) })
    expect(await result.warnings).toEqual([])
    const tandem = (await result.providerMetadata)?.tandem
    expect(tandem).toEqual({
      route: 'remote',
      plan: { route: 'remote', reasons: ['no local runtime configured (options.local)', `remote: the gateway serves ${MODEL}`], local: null },
      failover: null,
    })
  })

  it('generateText answers the same text with instructions (the system message), a conversation and stop sequences', async () => {
    const instructions = 'You are brief.'
    const messages = [
      { role: 'user' as const, content: 'Hi' },
      { role: 'assistant' as const, content: 'Hello.' },
      { role: 'user' as const, content: prompt },
    ]
    const wire = [{ role: 'system', content: instructions }, ...messages]
    const expected = await serverText(upstream!.server.url, { model: MODEL, messages: wire, max_tokens: 12, temperature: 0, ignore_eos: true })
    const result = await generateText({ model: provider()(MODEL), instructions, messages, ...fixed })
    expect(result.text).toBe(expected)
    expect(result.finishReason).toBe('length')
    expect(result.usage.outputTokens).toBe(12)
    expect(result.providerMetadata?.tandem).toMatchObject({ route: 'remote', failover: null })

    // A stop sequence taken from the middle of that answer ends it there, as the server does.
    const stop = expected.slice(4, 6)
    const stopped = await generateText({ model: provider()(MODEL), instructions, messages, ...fixed, stopSequences: [stop] })
    expect(stopped.text).toBe(expected.slice(0, expected.indexOf(stop)))
    expect(stopped.finishReason).toBe('stop')
  })

  it('gives the same greedy text as the AI SDK’s openai-compatible provider on the same gateway', async () => {
    const compatible = createOpenAICompatible({ name: 'gateway', baseURL: `${gateway!.url}/v1`, apiKey: keys.secret })
    const settings = { prompt, temperature: 0, maxOutputTokens: 40 }
    const [ours, theirs] = [await generateText({ model: provider()(MODEL), ...settings }), await generateText({ model: compatible(MODEL), ...settings })]
    expect(theirs.text.length).toBeGreaterThan(0)
    expect(ours.text).toBe(theirs.text)
    const streamed = streamText({ model: provider()(MODEL), ...settings })
    expect(await streamed.text).toBe(theirs.text)
  })

  it('warns, not silently, about settings Tandem cannot honour; a wrong type in its own options is an error naming it', async () => {
    const result = await generateText({
      model: provider()(MODEL),
      prompt,
      maxOutputTokens: 4,
      topK: 5,
      providerOptions: { tandem: { ignoreEos: true, beamWidth: 3 }, openai: { store: true } },
    })
    expect(result.text.length).toBeGreaterThan(0)
    expect((result.warnings ?? []).map((w) => ('feature' in w ? w.feature : w.type))).toEqual(['topK', 'providerOptions.tandem.beamWidth'])

    const wrong = generateText({ model: provider()(MODEL), prompt, maxRetries: 0, providerOptions: { tandem: { ignoreEos: 'yes' } } })
    await expect(wrong).rejects.toThrow(/providerOptions\.tandem\.ignoreEos/)
  })

  it('aborts mid-stream: the AI SDK reports the abort, the text so far is the start of the answer, and the server stops', async () => {
    const full = await serverText(upstream!.server.url, { model: MODEL, messages: [{ role: 'user', content: prompt }], max_tokens: 400, temperature: 0, ignore_eos: true })
    const before = await metric(upstream!.server, 'tandem_cancellations_total')
    const controller = new AbortController()
    let aborted = false
    const result = streamText({ model: provider()(MODEL), prompt, temperature: 0, maxOutputTokens: 400, providerOptions: { tandem: { ignoreEos: true } }, abortSignal: controller.signal, onAbort: () => void (aborted = true) })
    let text = ''
    const types: string[] = []
    for await (const part of result.fullStream) {
      types.push(part.type)
      if (part.type === 'text-delta') text += part.text
      if (text.length >= 8 && !controller.signal.aborted) controller.abort()
    }
    expect(aborted).toBe(true)
    expect(types).toContain('abort')
    expect(text.length).toBeGreaterThanOrEqual(8)
    expect(text.length).toBeLessThan(full.length)
    expect(full.startsWith(text)).toBe(true)
    await expect.poll(() => metric(upstream!.server, 'tandem_cancellations_total'), { timeout: 10_000 }).toBe(before + 1)
    expect(await metric(upstream!.server, 'tandem_active_sequences')).toBe(0)
  })

  it("fails before the first chunk with the AI SDK's error types, keeping Tandem's code", async () => {
    const refused = await generateText({ model: provider('sk_edge_test_wrong')(MODEL), prompt, maxRetries: 0 }).catch((error: unknown) => error)
    expect(APICallError.isInstance(refused)).toBe(true)
    expect(refused).toMatchObject({ statusCode: 401, isRetryable: false, data: { code: 'unauthorized' }, url: `${gateway!.url}/v1/chat/completions`, message: 'invalid API key' })

    const errors: unknown[] = []
    const streamed = streamText({ model: provider('sk_edge_test_wrong')(MODEL), prompt, maxRetries: 0, onError: ({ error }) => void errors.push(error) })
    await expect(streamed.text).rejects.toThrow(/No output generated/)
    expect(errors).toEqual([expect.objectContaining({ statusCode: 401, data: { code: 'unauthorized', param: null } })])

    const unknown = await generateText({ model: provider()('grok-9'), prompt, maxRetries: 0 }).catch((error: unknown) => error)
    expect(NoSuchModelError.isInstance(unknown)).toBe(true)
    expect(unknown).toMatchObject({ modelId: 'grok-9', message: expect.stringMatching(/grok-9.*the gateway does not serve grok-9 \(it serves grok-2-tiny\)/) })
    // Without a gateway only the catalog's models exist, and the provider says so at once.
    expect(() => createTandemProvider({ model: MODEL })('grok-9')).toThrow(NoSuchModelError)
  })
})

describe('@tandem/ai-sdk tools and structured output through the gateway', () => {
  // The tiny model was never trained on tools or JSON: the grammar made from each schema is what holds it to them.
  const defineWord = (executed: string[]) =>
    tool({
      description: 'Looks up the meaning of one English word',
      inputSchema: z.object({ word: z.string().max(24) }),
      execute: async ({ word }) => {
        executed.push(word)
        return { word, meaning: `the meaning of ${word}` }
      },
    })

  it('generateText with Output.object answers an object the zod schema accepts, whole, streamed and through generateObject', async () => {
    const schema = z.object({ author: z.string().max(40), plays: z.array(z.string().max(30)).max(3), alive: z.boolean() })
    const settings = { model: provider()(MODEL), prompt: 'Who wrote Hamlet?', output: Output.object({ schema }), temperature: 0, maxOutputTokens: 200 }
    const result = await generateText(settings)
    expect(result.finishReason).toBe('stop')
    expect(schema.safeParse(result.output).success).toBe(true)
    expect(result.output).toEqual(JSON.parse(result.text))
    expect(result.warnings).toEqual([])

    const streamed = streamText(settings)
    expect(await streamed.output).toEqual(result.output)
    // generateObject (deprecated in AI SDK 7 for the above) sends the same request: the same greedy object.
    const { object } = await generateObject({ model: settings.model, prompt: settings.prompt, schema, temperature: 0, maxOutputTokens: 200 })
    expect(object).toEqual(result.output)
  })

  it('generateText runs a two-step tool loop: the model calls define_word, the tool runs, its result goes back, then the model answers in text', async () => {
    const executed: string[] = []
    const result = await generateText({
      model: provider()(MODEL),
      prompt: 'What does the word "cat" mean?',
      tools: { define_word: defineWord(executed) },
      toolChoice: { type: 'tool', toolName: 'define_word' },
      // The call is forced in the first step only: the second step answers in text.
      prepareStep: ({ stepNumber }) => (stepNumber === 0 ? {} : { toolChoice: 'none' }),
      stopWhen: stepCountIs(2),
      include: { requestBody: true },
      temperature: 0,
      maxOutputTokens: 120,
    })
    expect(result.steps).toHaveLength(2)
    const [first, second] = result.steps
    expect(first!.finishReason).toBe('tool-calls')
    const [call, ...more] = first!.toolCalls
    expect(more).toEqual([])
    expect(call).toMatchObject({ toolName: 'define_word', toolCallId: expect.stringMatching(/^call_/), input: { word: expect.any(String) } })
    const word = (call!.input as { word: string }).word
    expect(executed).toEqual([word])
    const output = { word, meaning: `the meaning of ${word}` }
    expect(first!.toolResults).toMatchObject([{ toolCallId: call!.toolCallId, output }])

    // The second request carried the call and its result as Chat Completions messages.
    const messages = (second!.request.body as { messages: unknown[] }).messages
    expect(messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ id: call!.toolCallId, type: 'function', function: { name: 'define_word', arguments: JSON.stringify({ word }) } }] },
      { role: 'tool', tool_call_id: call!.toolCallId, content: JSON.stringify(output) },
    ])
    expect(second!.toolCalls).toEqual([])
    expect(second!.text.length).toBeGreaterThan(0)
    expect(result.text).toBe(second!.text)
  })

  it('streamText streams the tool call: its input in pieces, then the call, then the tool result', async () => {
    const executed: string[] = []
    const result = streamText({
      model: provider()(MODEL),
      prompt: 'What does the word "dog" mean?',
      tools: { define_word: defineWord(executed) },
      toolChoice: 'required',
      temperature: 0,
      maxOutputTokens: 120,
    })
    const types: string[] = []
    const pieces: string[] = []
    let input: unknown
    for await (const part of result.fullStream) {
      types.push(part.type)
      if (part.type === 'tool-input-delta') pieces.push(part.delta)
      if (part.type === 'tool-call') input = part.input
    }
    expect(pieces.length).toBeGreaterThan(1)
    expect(JSON.parse(pieces.join(''))).toEqual(input)
    expect(executed).toEqual([(input as { word: string }).word])
    const order = ['tool-input-start', 'tool-input-end', 'tool-call', 'tool-result'].map((type) => types.indexOf(type))
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true)
    expect(await result.finishReason).toBe('tool-calls')
  })
})

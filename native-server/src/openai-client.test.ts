// The official openai client, unchanged, against the server on the real tiny Grok-2. Tool calls:
// the tiny model learned one tool (define_word) and not these; with tool_choice required or named the
// grammar still forces a call whose arguments parse and fit the schema, and that is what these tests assert.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '@tandem/protocol'
import { startNativeServer, type NativeServer } from './server.ts'

let server: NativeServer
let client: OpenAI
beforeAll(async () => {
  server = await startNativeServer({ port: 0, threads: 1, gpu: 'cpu', contextSize: 1024, parallel: 2, logger: silentLogger })
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
})
afterAll(() => server?.close())

const messages = [{ role: 'user' as const, content: 'Tell me a story' }]

describe('the openai client', () => {
  it('lists the models', async () => {
    const models = await client.models.list()
    expect(models.data.map((model) => model.id)).toEqual(['grok-2-tiny'])
  })

  // vLLM's extension, as its users pass it through the openai client (a spread, past the client's types).
  const exactLength = { ignore_eos: true }

  it('creates a completion', async () => {
    const completion = await client.chat.completions.create({ model: 'grok-2-tiny', messages, max_tokens: 8, seed: 4, ...exactLength })
    expect(completion.choices[0]!.finish_reason).toBe('length')
    expect(completion.usage).toMatchObject({ completion_tokens: 8 })
    expect(typeof completion.choices[0]!.message.content).toBe('string')
  })

  it('streams the same tokens for the same seed, with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'grok-2-tiny',
      messages,
      max_tokens: 8,
      seed: 4,
      ...exactLength,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let finish: string | null = null
    let completionTokens = 0
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens
    }
    const again = await client.chat.completions.create({ model: 'grok-2-tiny', messages, max_tokens: 8, seed: 4, ...exactLength })
    expect([finish, completionTokens]).toEqual(['length', 8])
    expect(text).toBe(again.choices[0]!.message.content)
  })

  it('continues an assistant prefix sent as an extra field', async () => {
    const completion = await client.chat.completions.create({
      model: 'grok-2-tiny',
      messages: [...messages, { role: 'assistant', content: 'Once upon', prefix: true } as OpenAI.ChatCompletionAssistantMessageParam],
      max_tokens: 4,
    })
    expect(completion.usage!.prompt_tokens).toBeGreaterThan((await client.chat.completions.create({ model: 'grok-2-tiny', messages, max_tokens: 1 })).usage!.prompt_tokens)
  })

  it('raises the client\'s own error types with the code and param', async () => {
    const unknown = client.chat.completions.create({ model: 'grok-9', messages })
    await expect(unknown).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' })
    await expect(client.chat.completions.create({ model: 'grok-2-tiny', messages, n: 2 })).rejects.toMatchObject({ status: 400, param: 'n' })
  })
})

const defineWord: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'define_word',
    description: 'Look up what an English word means',
    parameters: { type: 'object', properties: { word: { type: 'string', maxLength: 24 } }, required: ['word'], additionalProperties: false },
  },
}
const openPage: OpenAI.ChatCompletionFunctionTool = {
  type: 'function',
  function: { name: 'open_page', parameters: { type: 'object', properties: { path: { type: 'string', enum: ['/', '/about', '/help'] }, newTab: { type: 'boolean' } }, required: ['path'] } },
}
const tools = [defineWord, openPage]
const askWord: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What does the word "cat" mean?' }]
const base = { model: 'grok-2-tiny', messages: askWord, tools, max_tokens: 120, seed: 3 }

/** The call's arguments, parsed, checked against the tool they name. */
function argumentsOf(call: OpenAI.ChatCompletionMessageToolCall | undefined): Record<string, unknown> {
  if (call?.type !== 'function') throw new Error(`not a function call: ${JSON.stringify(call)}`)
  const args = JSON.parse(call.function.arguments) as Record<string, unknown>
  if (call.function.name === 'define_word') {
    expect(Object.keys(args)).toEqual(['word'])
    expect(typeof args.word === 'string' && args.word.length <= 24).toBe(true)
  } else {
    expect(call.function.name).toBe('open_page')
    expect(['/', '/about', '/help']).toContain(args.path)
    if ('newTab' in args) expect(typeof args.newTab).toBe('boolean')
  }
  expect(call.id).toMatch(/^call_[0-9a-f]{24}$/)
  return args
}

describe('tool calls through the openai client', () => {
  it('returns a forced call (tool_choice "required") with an id, parseable arguments and finish_reason "tool_calls"', async () => {
    for (const seed of [1, 2, 3, 4]) {
      // Stop sequences cut text; a forced call has none, or these would cut every call short.
      const completion = await client.chat.completions.create({ ...base, seed, tool_choice: 'required', parallel_tool_calls: false, stop: ['"', '}'] })
      const choice = completion.choices[0]!
      expect(choice.finish_reason, JSON.stringify(choice.message)).toBe('tool_calls')
      expect(choice.message.content).toBeNull()
      expect(choice.message.tool_calls).toHaveLength(1)
      argumentsOf(choice.message.tool_calls![0])
    }
  })

  it('returns parallel calls, each whole and with its own id, until the model stops or max_tokens cuts the last', async () => {
    let most = 0
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      // The end of turn (4095) pushed away, so the model, which learned to stop after one call, must go on calling.
      const completion = await client.chat.completions.create({ ...base, seed, tool_choice: 'required', max_tokens: 200, logit_bias: { '4095': -100 } })
      const { finish_reason, message } = completion.choices[0]!
      const calls = message.tool_calls ?? []
      expect(['tool_calls', 'length']).toContain(finish_reason)
      // max_tokens may end it inside a call, as it would OpenAI's.
      const whole = finish_reason === 'length' ? calls.slice(0, -1) : calls
      for (const call of whole) argumentsOf(call)
      expect(new Set(calls.map((call) => call.id)).size).toBe(calls.length)
      most = Math.max(most, whole.length)
    }
    expect(most).toBeGreaterThan(1)
  })

  it('streams a named call: id and name first, the arguments in pieces, which the stream helper assembles unchanged', async () => {
    const stream = client.chat.completions.stream({ ...base, parallel_tool_calls: false, tool_choice: { type: 'function', function: { name: 'open_page' } } })
    const deltas: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = []
    stream.on('chunk', (chunk) => deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? [])))
    const completion = await stream.finalChatCompletion()
    const calls = completion.choices[0]!.message.tool_calls!
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.type === 'function' && calls[0]!.function.name).toBe('open_page')
    argumentsOf(calls[0])
    expect(deltas[0]).toMatchObject({ index: 0, id: calls[0]!.id, type: 'function', function: { name: 'open_page' } })
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.slice(1).every((delta) => delta.index === 0 && delta.id === undefined && delta.function?.name === undefined)).toBe(true)
    expect(deltas.map((delta) => delta.function?.arguments ?? '').join('')).toBe(calls[0]!.type === 'function' && calls[0]!.function.arguments)
  })

  it('sends nothing of a named call that max_tokens cuts inside `<tool_call>`: no content, finish_reason "length"', async () => {
    for (const max_tokens of [1, 2, 3]) {
      const stream = await client.chat.completions.create({ ...base, max_tokens, tool_choice: { type: 'function', function: { name: 'define_word' } }, stream: true })
      const choices: OpenAI.ChatCompletionChunk.Choice[] = []
      for await (const chunk of stream) choices.push(...chunk.choices)
      const content = choices.map((choice) => choice.delta.content ?? '').join('')
      expect([max_tokens, content, choices.some((choice) => choice.delta.tool_calls), choices.at(-1)!.finish_reason]).toEqual([max_tokens, '', false, 'length'])
    }
  })

  it('takes the call and its result back, and answers in text (auto, after the result)', async () => {
    const first = await client.chat.completions.create({ ...base, tool_choice: { type: 'function', function: { name: 'define_word' } } })
    const call = first.choices[0]!.message.tool_calls![0]!
    const completion = await client.chat.completions.create({
      ...base,
      messages: [...askWord, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'a small domesticated feline' }],
      temperature: 0,
    })
    expect(completion.choices[0]!.finish_reason).toBe('stop')
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined()
    expect(completion.choices[0]!.message.content?.trim()).not.toBe('')
  })

  it('answers "auto" with a response format as calls or that JSON, never free text', async () => {
    for (const seed of [1, 2]) {
      const completion = await client.chat.completions.create({ ...base, seed, max_tokens: 200, response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { meaning: { type: 'string', maxLength: 40 } }, required: ['meaning'] } } } })
      const { finish_reason, message } = completion.choices[0]!
      if (finish_reason === 'tool_calls') for (const call of message.tool_calls!) argumentsOf(call)
      else expect([finish_reason, Object.keys(JSON.parse(message.content!) as object)]).toEqual(['stop', ['meaning']])
    }
  })

  it('offers no tools with tool_choice "none": the same answer as without them', async () => {
    const none = await client.chat.completions.create({ ...base, temperature: 0, tool_choice: 'none' })
    const plain = await client.chat.completions.create({ model: 'grok-2-tiny', messages: askWord, max_tokens: 120, temperature: 0 })
    expect(none.choices[0]!.message.content).toBe(plain.choices[0]!.message.content)
  })

  it.each([
    ['tool_choice naming a tool not in tools', { tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tool_choice.function.name'],
    ['a tool with an invalid name', { tools: [{ type: 'function', function: { name: 'define word' } }] }, 'tools[0].function.name'],
    ['a tool message answering no call', { messages: [...askWord, { role: 'tool', tool_call_id: 'call_x', content: 'r' }] }, 'messages[1].tool_call_id'],
  ])('refuses %s with 400 naming the field', async (_, fields, param) => {
    const error = await client.chat.completions.create({ ...base, ...fields } as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param)
  })
})

describe('logit_bias', () => {
  const greedy = { model: 'grok-2-tiny', messages, temperature: 0, max_tokens: 3 }

  it('makes a strongly favoured token the greedy answer', async () => {
    // 1217 is " cat" in the tiny model's vocabulary; the answer loses its first space.
    const plain = await client.chat.completions.create(greedy)
    const biased = await client.chat.completions.create({ ...greedy, logit_bias: { '1217': 100 } })
    expect(plain.choices[0]!.message.content).not.toBe('cat cat cat')
    expect([biased.choices[0]!.finish_reason, biased.choices[0]!.message.content]).toEqual(['length', 'cat cat cat'])
  })

  it('ends the answer at once on a strong bias toward the separator (4095, the end of a turn), and not at all on one against', async () => {
    for (const temperature of [0, 1]) {
      const completion = await client.chat.completions.create({ ...greedy, temperature, max_tokens: 20, logit_bias: { '4095': 100 } })
      expect([temperature, completion.choices[0]!.finish_reason, completion.choices[0]!.message.content ?? '', completion.usage!.completion_tokens]).toEqual([temperature, 'stop', '', 1])
    }
    // Unbiased, this greedy answer ends its turn within 20 tokens.
    const plain = await client.chat.completions.create({ ...greedy, max_tokens: 20 })
    const never = await client.chat.completions.create({ ...greedy, max_tokens: 20, logit_bias: { '4095': -100 } })
    expect([plain.choices[0]!.finish_reason, never.choices[0]!.finish_reason, never.usage!.completion_tokens]).toEqual(['stop', 'length', 20])
  })
})

// The golden test of the assistant-prefix contract that mid-stream failover depends on, and of the
// tool format (tools, calls and results as Grok-2 turns, see @tandem/models prompt/tool-format.ts): the same
// conversation, with and without an assistant prefix, reaches the model as the same tokens on both
// routes. Native-server's path runs as it serves (prompt turns, the shared renderer, its tokenizer
// on the real F16 file). The local path's request runs as the worker builds it (`toWllamaParams`);
// what llama.cpp's chat handler then does inside wllama in a browser cannot run here, so it is
// played by a named double: the GGUF's own chat template rendered with Jinja, the continued
// prefix appended after the generation prompt (llama.cpp's prefill rule), tokenized with control
// tokens parsed, on the real Q8_0 shards' tokenizer.
import { Template } from '@huggingface/jinja'
import { readFile } from 'node:fs/promises'
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel, type Token } from 'node-llama-cpp'
import { chatTurns, renderGrok2Prompt } from '@tandem/models'
import { ensureTinyModel } from '@tandem/models/node'
import { parseChatRequest, type ChatRequestInput } from '@tandem/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenizePrompt } from '../../native-server/src/engines/llama-cpp/index.ts'
import { toWllamaParams, type WllamaMessage } from '../../workers/local/src/engines/wllama-request.ts'

let llama: Llama
let native: LlamaModel
let local: LlamaModel
beforeAll(async () => {
  const files = await ensureTinyModel()
  llama = await getLlama({ gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error })
  native = await llama.loadModel({ modelPath: files.f16Path })
  local = await llama.loadModel({ modelPath: files.variantPaths['q8_0']![0]! })
})
afterAll(async () => {
  await native?.dispose()
  await local?.dispose()
  await llama?.dispose()
})

type ChatMessageInput = ChatRequestInput['messages'][number]

function request(messages: ChatMessageInput[], tools?: ChatRequestInput['tools']) {
  const parsed = parseChatRequest({ model: 'grok-2-tiny', messages, tools })
  if (!parsed.ok) throw parsed.error
  return parsed.value
}

async function nativeTokens(messages: ChatMessageInput[]): Promise<Token[]> {
  return tokenizePrompt(native, renderGrok2Prompt(chatTurns(request(messages))), 4096, new AbortController().signal)
}

/** Test double for llama.cpp's chat handler in wllama: template, then a trailing assistant message appended as the prefill. */
function localPromptText(messages: ChatMessageInput[], tools?: ChatRequestInput['tools']): string {
  const sent: WllamaMessage[] = toWllamaParams(request(messages, tools)).messages
  const prefill = sent.at(-1)?.role === 'assistant' ? sent.at(-1)!.content : undefined
  const history = prefill === undefined ? sent : sent.slice(0, -1)
  const template = local.fileInfo.metadata.tokenizer?.chat_template
  if (typeof template !== 'string') throw new Error('the local GGUF carries no chat template')
  return new Template(template).render({ messages: history, add_generation_prompt: true }) + (prefill ?? '')
}

const conversation: ChatMessageInput[] = [
  { role: 'system', content: ' Be brief. ' },
  { role: 'user', content: 'Count to five ' },
  { role: 'assistant', content: 'One, two, three, four, five.' },
  { role: 'user', content: [{ type: 'text', text: 'Again, ' }, { type: 'text', text: 'slower' }] },
]

describe('the assistant prefix on both routes', () => {
  it('renders a new answer as the same tokens, ending with the generation prompt', async () => {
    const tokens = await nativeTokens(conversation)
    expect(local.tokenize(localPromptText(conversation), true)).toEqual(tokens)
    expect(native.detokenize(tokens, true).endsWith('slower<|separator|>\n\nAssistant:')).toBe(true)
  })

  it.each([
    ['a word', 'One'],
    ['words and a trailing space', 'One, two, '],
    ['a leading space', ' One'],
  ])('renders a continued prefix (%s) as the same tokens, open after `Assistant: `', async (_, prefix) => {
    const messages: ChatMessageInput[] = [...conversation, { role: 'assistant', content: prefix, prefix: true }]
    const tokens = await nativeTokens(messages)
    expect(local.tokenize(localPromptText(messages), true)).toEqual(tokens)
    expect(native.detokenize(tokens, true).endsWith(`slower<|separator|>\n\nAssistant: ${prefix}`)).toBe(true)
  })

  it('renders tools, calls and tool results as the same tokens, for a new answer and a continued one', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'define_word', description: 'Look a word up', parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] } } }]
    const round: ChatMessageInput[] = [
      ...conversation,
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'define_word', arguments: '{"word": "slower"}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: ' more slowly ' },
    ]
    for (const messages of [round, [...round, { role: 'assistant' as const, content: 'It means', prefix: true }]]) {
      const tokens = await tokenizePrompt(native, renderGrok2Prompt(chatTurns(request(messages, tools))), 4096, new AbortController().signal)
      expect(local.tokenize(localPromptText(messages, tools), true)).toEqual(tokens)
      const text = native.detokenize(tokens, true)
      expect(text).toContain('<tools>\n{"name":"define_word"')
      expect(text).toContain('Assistant: <tool_call>{"name": "define_word", "arguments": {"word": "slower"}}</tool_call><|separator|>')
      expect(text).toContain('System: <tool_result name="define_word"> more slowly </tool_result><|separator|>')
    }
  })

  it('renders the same tokens from the Jinja template an upstream SGLang or vLLM is given (native-server/templates)', async () => {
    const template = new Template(await readFile(new URL('../../native-server/templates/grok-2-tools.jinja', import.meta.url), 'utf8'))
    const tools = [
      { type: 'function' as const, function: { name: 'define_word', description: 'Look a word up, é', parameters: { type: 'object', properties: { word: { type: 'string', maxLength: 24 } }, required: ['word'] } } },
      { type: 'function' as const, function: { name: 'now' } },
    ]
    const messages: ChatMessageInput[] = [
      { role: 'developer', content: ' Be brief. ' },
      ...conversation.slice(1),
      { role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'a', type: 'function', function: { name: 'define_word', arguments: '{"word": "slower"}' } }, { id: 'b', type: 'function', function: { name: 'now', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'b', content: 'noon' },
      { role: 'tool', tool_call_id: 'a', content: [{ type: 'text', text: 'more slowly' }] },
      { role: 'user', content: 'Thanks' },
    ]
    for (const offered of [tools, undefined]) {
      const parsed = request(messages, offered)
      const tokens = await tokenizePrompt(native, renderGrok2Prompt(chatTurns(parsed)), 4096, new AbortController().signal)
      // What the upstream engine forwards: the parsed request's messages and tools, as JSON.
      const rendered = template.render({ ...JSON.parse(JSON.stringify({ messages: parsed.messages, tools: parsed.tools })), add_generation_prompt: true })
      expect(local.tokenize(rendered, true)).toEqual(tokens)
    }
  })
})

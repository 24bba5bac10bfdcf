// Proof, checked by `tsc` (npm run typecheck), that Tandem's wire and the official openai
// package's types agree, and where exactly they differ. If a schema drifts, this file stops
// compiling. The `it` blocks repeat the check at runtime on values typed as openai's.
import type OpenAI from 'openai'
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type { ChatRequest } from './chat-request.ts'
import { chatRequestSchema } from './chat-request.ts'
import type { ChatCompletion, ChatCompletionChunk } from './chat-response.ts'
import { chatCompletionChunkSchema, chatCompletionSchema } from './chat-response.ts'
import type { Model, ModelList } from './models-list.ts'
import { modelListSchema } from './models-list.ts'

type TextPart = OpenAI.Chat.ChatCompletionContentPartText
type RequestInput = z.input<typeof chatRequestSchema>
type ChunkInput = z.input<typeof chatCompletionChunkSchema>
type CompletionInput = z.input<typeof chatCompletionSchema>

/** The part of openai's message union Tandem serves: text content, function tool calls. */
type SupportedMessage =
  | OpenAI.Chat.ChatCompletionSystemMessageParam
  | OpenAI.Chat.ChatCompletionDeveloperMessageParam
  | (Omit<OpenAI.Chat.ChatCompletionUserMessageParam, 'content'> & { content: string | TextPart[] })
  | (Omit<OpenAI.Chat.ChatCompletionAssistantMessageParam, 'content' | 'tool_calls'> & {
      content?: string | TextPart[] | null
      tool_calls?: OpenAI.Chat.ChatCompletionMessageFunctionToolCall[]
    })
  | OpenAI.Chat.ChatCompletionToolMessageParam

/** openai's request with its own types for every field, narrowed only where Tandem narrows. */
type SupportedRequest<P extends OpenAI.Chat.ChatCompletionCreateParams> = Omit<P, 'messages' | 'tools' | 'tool_choice'> & {
  messages: SupportedMessage[]
  tools?: OpenAI.Chat.ChatCompletionFunctionTool[]
  tool_choice?: Exclude<OpenAI.Chat.ChatCompletionToolChoiceOption, OpenAI.Chat.ChatCompletionAllowedToolChoice | OpenAI.Chat.ChatCompletionNamedToolChoiceCustom>
}

/** openai's chunk narrowed to what a chat model server emits (OpenAI's own servers included). */
type EmittedChunk = Omit<OpenAI.Chat.ChatCompletionChunk, 'choices'> & {
  choices: Array<
    Omit<OpenAI.Chat.ChatCompletionChunk.Choice, 'delta' | 'finish_reason'> & {
      delta: Omit<OpenAI.Chat.ChatCompletionChunk.Choice.Delta, 'role' | 'tool_calls'> & {
        role?: 'assistant'
        // openai 7 types custom tool-call deltas too; Tandem serves function tools only.
        tool_calls?: Array<Omit<OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall, 'type' | 'custom'> & { type?: 'function' }>
      }
      finish_reason: Exclude<OpenAI.Chat.ChatCompletionChunk.Choice['finish_reason'], 'function_call'>
    }
  >
}

function assignable<T>(_value: T): void {}

describe('openai compatibility (types)', () => {
  it('accepts every request the openai client can send, within the supported features', () => {
    expectTypeOf<SupportedRequest<OpenAI.Chat.ChatCompletionCreateParamsStreaming>>().toExtend<RequestInput>()
    expectTypeOf<SupportedRequest<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>>().toExtend<RequestInput>()
    // And a parsed request can be forwarded to an OpenAI-compatible upstream as it is.
    expectTypeOf<ChatRequest>().toExtend<ChatCompletionCreateParamsBase>()
  })

  it('refuses, in the types too, what Tandem does not serve', () => {
    expectTypeOf<OpenAI.Chat.ChatCompletionCreateParamsStreaming>().not.toExtend<RequestInput>()
    const image: OpenAI.Chat.ChatCompletionContentPartImage = { type: 'image_url', image_url: { url: 'https://x/y.png' } }
    // @ts-expect-error image parts are not part of Tandem's request
    assignable<RequestInput>({ model: 'm', messages: [{ role: 'user', content: [image] }] })
    // @ts-expect-error custom tools are not part of Tandem's request
    assignable<RequestInput>({ model: 'm', messages: [], tools: [{ type: 'custom', custom: { name: 'g' } }] })
  })

  it('emits chunks and completions an openai client reads as its own types', () => {
    expectTypeOf<ChatCompletionChunk>().toExtend<OpenAI.Chat.ChatCompletionChunk>()
    expectTypeOf<ChatCompletion>().toExtend<OpenAI.Chat.ChatCompletion>()
    expectTypeOf<Model>().toExtend<OpenAI.Models.Model>()
    // An OpenAI model, plus the context vLLM states and Tandem's prompt bound.
    expectTypeOf<Omit<ModelList['data'][number], 'max_model_len' | 'prompt_bound'>>().toEqualTypeOf<OpenAI.Models.Model>()
  })

  it('reads what OpenAI servers emit, except the roles and deprecated finish reason no model server streams', () => {
    expectTypeOf<EmittedChunk>().toExtend<ChunkInput>()
    expectTypeOf<OpenAI.Chat.ChatCompletionChunk>().not.toExtend<ChunkInput>()
    // A completion: the same narrowing, plus custom tool calls (not served) and usage (always sent).
    type EmittedCompletion = Omit<OpenAI.Chat.ChatCompletion, 'choices' | 'usage'> & {
      choices: Array<
        Omit<OpenAI.Chat.ChatCompletion.Choice, 'finish_reason' | 'message'> & {
          finish_reason: Exclude<OpenAI.Chat.ChatCompletion.Choice['finish_reason'], 'function_call'>
          message: Omit<OpenAI.Chat.ChatCompletionMessage, 'tool_calls'> & { tool_calls?: OpenAI.Chat.ChatCompletionMessageFunctionToolCall[] }
        }
      >
      usage: OpenAI.CompletionUsage
    }
    expectTypeOf<OpenAI.Chat.ChatCompletion>().not.toExtend<CompletionInput>()
    expectTypeOf<EmittedCompletion>().toExtend<CompletionInput>()
    expectTypeOf<OpenAI.Models.Model>().toExtend<z.input<typeof modelListSchema>['data'][number]>()
  })
})

describe('openai compatibility (runtime)', () => {
  it('parses a request typed as openai streaming params', () => {
    const params: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
      model: 'grok-2-tiny',
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"c":18}' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      max_completion_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      stop: null,
      seed: 7,
      n: 1,
      logit_bias: { '50256': -100 },
      frequency_penalty: 0,
      presence_penalty: 0,
      user: 'u1',
      parallel_tool_calls: false,
    }
    const parsed = chatRequestSchema.parse(params)
    const forwarded: ChatCompletionCreateParamsBase = parsed
    expect(forwarded.messages).toHaveLength(4)
  })

  it('parses openai-typed chunks and completions and hands them back as openai types', () => {
    const chunk: OpenAI.Chat.ChatCompletionChunk = {
      id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', service_tier: 'default', system_fingerprint: 'fp',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'hé', refusal: null }, finish_reason: null, logprobs: null }],
      usage: null,
    }
    const ours = chatCompletionChunkSchema.parse(chunk)
    const back: OpenAI.Chat.ChatCompletionChunk = ours
    expect(back.choices[0]?.delta.content).toBe('hé')

    const completion: OpenAI.Chat.ChatCompletion = {
      id: 'c', object: 'chat.completion', created: 1, model: 'm',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hi', refusal: null } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }
    const parsed: OpenAI.Chat.ChatCompletion = chatCompletionSchema.parse(completion)
    expect(parsed.choices[0]?.message.content).toBe('hi')

    const models: OpenAI.Models.Model[] = modelListSchema.parse({ object: 'list', data: [{ id: 'm', object: 'model', created: 1, owned_by: 'tandem' }] }).data
    expect(models[0]?.id).toBe('m')
  })
})

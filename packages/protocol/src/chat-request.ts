import { z } from 'zod'
import { chatMessageSchema, contentText } from './chat-message.ts'
import { functionToolSchema, toolChoiceSchema } from './chat-tools.ts'
import { responseFormatSchema } from './response-format.ts'

const positiveInt = z.number().int().positive()
const penalty = z.number().min(-2).max(2)

/**
 * An OpenAI Chat Completions request, as far as Tandem serves it. Optional fields take
 * `null` too, because OpenAI's own types (and Python clients) send it. Unknown fields are
 * stripped, not rejected: clients send fields from newer API versions all the time.
 */
export const chatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: positiveInt.nullish(),
    max_completion_tokens: positiveInt.nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().gt(0).max(1).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)], { error: 'expected a string or an array of up to 4 strings' }).nullish(),
    seed: z.number().int().nullish(),
    // A number in the type (OpenAI's is), 1 at runtime: one choice per request.
    n: z.number().nullish().refine((n) => n == null || n === 1, 'only n = 1 is supported'),
    response_format: responseFormatSchema.optional(),
    tools: z.array(functionToolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    /** false: at most one call per answer. */
    parallel_tool_calls: z.boolean().optional(),
    logit_bias: z
      .record(z.string().regex(/^\d+$/, 'keys must be token ids'), z.number().min(-100).max(100))
      .nullish(),
    user: z.string().optional(),
    frequency_penalty: penalty.nullish(),
    presence_penalty: penalty.nullish(),
    // vLLM's and SGLang's extension: generate past the end of the turn, to max_tokens.
    ignore_eos: z.boolean().nullish(),
    // llama.cpp server's extension: every chunk of a stream carries `timings` with the running token counts.
    timings_per_token: z.boolean().nullish(),
  })
  .superRefine((request, ctx) => {
    const last = request.messages.length - 1
    request.messages.forEach((message, index) => {
      if (message.role === 'assistant' && message.prefix === true && index !== last) {
        ctx.addIssue({ code: 'custom', path: ['messages', index, 'prefix'], message: 'only the last message can be a prefix' })
      }
    })
    const callIds = new Set<string>()
    request.messages.forEach((message, index) => {
      if (message.role === 'assistant') for (const call of message.tool_calls ?? []) callIds.add(call.id)
      if (message.role === 'tool' && !callIds.has(message.tool_call_id)) {
        ctx.addIssue({ code: 'custom', path: ['messages', index, 'tool_call_id'], message: `no earlier assistant tool call has the id "${message.tool_call_id}"` })
      }
    })
    // A grammar constrains a whole answer; continued from a prefix it would restart mid-answer.
    const lastMessage = request.messages[last]
    if (request.response_format && request.response_format.type !== 'text' && lastMessage?.role === 'assistant' && lastMessage.prefix === true) {
      ctx.addIssue({ code: 'custom', path: ['messages', last, 'prefix'], message: `an assistant prefix cannot be continued with response_format "${request.response_format.type}"` })
    }
    const choice = request.tool_choice
    const names = new Set<string>()
    request.tools?.forEach((tool, index) => {
      if (names.has(tool.function.name)) ctx.addIssue({ code: 'custom', path: ['tools', index, 'function', 'name'], message: `a second tool named "${tool.function.name}"` })
      names.add(tool.function.name)
    })
    if (choice === 'required' && names.size === 0) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: '"required" needs at least one tool' })
    }
    if (typeof choice === 'object' && !names.has(choice.function.name)) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice', 'function', 'name'], message: `no tool named "${choice.function.name}"` })
    }
    const forced = choice === 'required' || typeof choice === 'object'
    if (forced && assistantPrefix(request) !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'an assistant prefix is continued as text, so it cannot be made a tool call' })
    }
  })

export type ChatRequest = z.infer<typeof chatRequestSchema>
export type ChatRequestInput = z.input<typeof chatRequestSchema>

/** `max_completion_tokens` wins over the older `max_tokens`; undefined means "until the model stops". */
export function effectiveMaxTokens(request: Pick<ChatRequest, 'max_tokens' | 'max_completion_tokens'>): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined
}

/** The text the model must continue, when the last message is an assistant prefix. */
export function assistantPrefix(request: Pick<ChatRequest, 'messages'>): string | undefined {
  const last = request.messages.at(-1)
  return last?.role === 'assistant' && last.prefix === true ? contentText(last.content) : undefined
}

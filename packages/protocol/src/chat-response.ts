import { z } from 'zod'
import { toolCallSchema } from './chat-tools.ts'

// Responses are parsed leniently: other servers' extra fields (llama.cpp `timings`,
// OpenAI `obfuscation`, `service_tier`) are stripped, and fields they send as null where
// OpenAI's types say "absent" are read as absent.

const count = z.number().int().nonnegative()

export const usageSchema = z.object({ prompt_tokens: count, completion_tokens: count, total_tokens: count })

const topLogprob = z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.number()).nullable().default(null) })
const tokenLogprob = topLogprob.extend({ top_logprobs: z.array(topLogprob).default([]) })

export const logprobsSchema = z.object({
  content: z.array(tokenLogprob).nullable().default(null),
  refusal: z.array(tokenLogprob).nullable().default(null),
})

/**
 * Tandem's addition: which way the request went. `local` ran in the page's worker,
 * `remote` through the gateway; `reason` is the planner's explanation, in words
 * (e.g. "device has 8 GB, model needs 13 GB"). OpenAI clients ignore the field.
 */
export const tandemRouteSchema = z.object({
  route: z.enum(['local', 'remote']),
  reason: z.string().optional(),
})

// vLLM and others send `system_fingerprint: null`; OpenAI's types allow only absent.
const fingerprint = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined)
  .optional()

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter'])

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: count,
      message: z.object({
        role: z.literal('assistant'),
        content: z.string().nullable().default(null),
        refusal: z.string().nullable().default(null),
        tool_calls: z.array(toolCallSchema).optional(),
      }),
      // Never null in a finished completion (OpenAI's type agrees); null is for chunks.
      finish_reason: finishReasonSchema,
      logprobs: logprobsSchema.nullable().default(null),
    }),
  ),
  usage: usageSchema,
  system_fingerprint: fingerprint,
  tandem: tandemRouteSchema.optional(),
})

const toolCallDelta = z.object({
  index: count,
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
})

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number(),
  model: z.string(),
  /** Empty in the final usage chunk (`stream_options.include_usage`). */
  choices: z.array(
    z.object({
      index: count,
      delta: z.object({
        role: z.literal('assistant').optional(),
        content: z.string().nullish(),
        tool_calls: z.array(toolCallDelta).optional(),
        refusal: z.string().nullish(),
      }),
      finish_reason: finishReasonSchema.nullable(),
      logprobs: logprobsSchema.nullish(),
    }),
  ),
  usage: usageSchema.nullish(),
  system_fingerprint: fingerprint,
  tandem: tandemRouteSchema.optional(),
})

export type Usage = z.infer<typeof usageSchema>
export type FinishReason = z.infer<typeof finishReasonSchema>
export type TandemRoute = z.infer<typeof tandemRouteSchema>
export type ChatCompletion = z.infer<typeof chatCompletionSchema>
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>

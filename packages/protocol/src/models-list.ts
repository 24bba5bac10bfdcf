import { z } from 'zod'
import { promptBoundSchema } from './prompt-bound.ts'

export const modelSchema = z.object({
  id: z.string().min(1),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
  /** OpenAI's announced retirement date, passed on from an upstream that sends one. */
  shutdown_date: z.string().nullish(),
  /** The most tokens a request may hold, prompt and completion together (vLLM's name for a model's context). */
  max_model_len: z.number().int().positive().nullish(),
  /** Tandem's: how to bound a prompt's tokens from below without the tokenizer. */
  prompt_bound: promptBoundSchema.nullish(),
})

/** `GET /v1/models`. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(modelSchema),
})

export type Model = z.infer<typeof modelSchema>
export type ModelList = z.infer<typeof modelListSchema>

import { z } from 'zod'

export const modelSchema = z.object({
  id: z.string().min(1),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
  /** OpenAI's announced retirement date, passed on from an upstream that sends one. */
  shutdown_date: z.string().nullish(),
})

/** `GET /v1/models`. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(modelSchema),
})

export type Model = z.infer<typeof modelSchema>
export type ModelList = z.infer<typeof modelListSchema>

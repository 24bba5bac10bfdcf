import { InvalidArgumentError, type LanguageModelV4CallOptions, type SharedV4Warning } from '@ai-sdk/provider'
import type { CreateParams } from '@tandem/sdk'
import { z } from 'zod'
import { toChatMessages } from './prompt.ts'
import { toResponseFormat } from './response-format.ts'
import { toChatTools } from './tools.ts'

/** `providerOptions.tandem`: what Tandem's routes take beyond the AI SDK's own settings. */
const tandemProviderOptionsSchema = z.object({
  /** Generate past the end of the turn, to `maxOutputTokens` (vLLM's and SGLang's `ignore_eos`). */
  ignoreEos: z.boolean().optional(),
  /** An id for the end user, passed to the gateway as OpenAI's `user`. */
  user: z.string().optional(),
  /** `false` asks for at most one tool call per answer (OpenAI's `parallel_tool_calls`). */
  parallelToolCalls: z.boolean().optional(),
})

export type TandemProviderOptions = z.infer<typeof tandemProviderOptionsSchema>

export interface CallSettings {
  params: Omit<CreateParams, 'stream'>
  warnings: SharedV4Warning[]
}

/** One AI SDK call as Tandem's chat request, with a warning for each setting Tandem cannot honour. */
export function toCallSettings(modelId: string, options: LanguageModelV4CallOptions): CallSettings {
  const warnings: SharedV4Warning[] = []
  const tools = toChatTools(options, warnings)
  if (options.topK !== undefined) warnings.push({ type: 'unsupported', feature: 'topK', details: "Tandem's routes sample with temperature and topP only" })
  if (options.reasoning !== undefined && options.reasoning !== 'provider-default' && options.reasoning !== 'none') {
    warnings.push({ type: 'unsupported', feature: 'reasoning', details: 'the Grok-2 family does not reason before answering' })
  }
  // The AI SDK sends its own user-agent with every call; only headers the caller set deserve a warning.
  if (Object.entries(options.headers ?? {}).some(([name, value]) => value !== undefined && name.toLowerCase() !== 'user-agent')) {
    warnings.push({ type: 'unsupported', feature: 'headers', details: "set the gateway's credential in createTandemProvider's remote options" })
  }
  const tandem = tandemProviderOptions(options.providerOptions?.tandem, warnings)
  return {
    params: {
      model: modelId,
      messages: toChatMessages(options.prompt),
      max_tokens: options.maxOutputTokens,
      temperature: options.temperature,
      top_p: options.topP,
      stop: options.stopSequences,
      seed: options.seed,
      presence_penalty: options.presencePenalty,
      frequency_penalty: options.frequencyPenalty,
      ignore_eos: tandem.ignoreEos,
      user: tandem.user,
      ...tools,
      parallel_tool_calls: tandem.parallelToolCalls,
      response_format: toResponseFormat(options.responseFormat),
      signal: options.abortSignal,
    },
    warnings,
  }
}

/** Known keys are checked (a wrong type is an error naming it); unknown keys are a warning each, never silence. */
function tandemProviderOptions(input: unknown, warnings: SharedV4Warning[]): TandemProviderOptions {
  if (input === undefined) return {}
  const known = tandemProviderOptionsSchema.shape
  for (const key of Object.keys(input as object)) {
    if (!Object.hasOwn(known, key)) warnings.push({ type: 'unsupported', feature: `providerOptions.tandem.${key}`, details: `Tandem knows ${Object.keys(known).join(', ')}` })
  }
  const parsed = tandemProviderOptionsSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const argument = ['providerOptions', 'tandem', ...issue.path].join('.')
  throw new InvalidArgumentError({ argument, message: `${argument}: ${issue.message}` })
}

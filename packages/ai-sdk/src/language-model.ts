import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4GenerateResult, LanguageModelV4StreamPart, LanguageModelV4StreamResult } from '@ai-sdk/provider'
import type { Tandem } from '@tandem/sdk'
import { toCallSettings } from './call-settings.ts'
import { toAiSdkError, type ErrorContext } from './errors.ts'
import { toStreamParts } from './stream-parts.ts'

export interface LanguageModelConfig {
  tandem: Tandem
  /** The gateway's chat URL when there is one (it names the endpoint in errors and request metadata), else `tandem:local`. */
  url: string
}

/**
 * One model through Tandem: each call is planned (this device or the gateway), and an answer the
 * device cannot finish continues on the gateway. Non-streamed calls are the stream, collected.
 */
export class TandemLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4'
  readonly provider = 'tandem'
  readonly modelId: string
  readonly supportedUrls = {}
  #config: LanguageModelConfig

  constructor(modelId: string, config: LanguageModelConfig) {
    this.modelId = modelId
    this.#config = config
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { params, warnings } = toCallSettings(this.modelId, options)
    const { signal, ...body } = params
    const errors: ErrorContext = { modelId: this.modelId, url: this.#config.url, requestBody: body, signal }
    try {
      const stream = await this.#config.tandem.chat.completions.create({ ...params, stream: true })
      return {
        stream: toStreamParts(stream, { warnings, includeRawChunks: options.includeRawChunks === true, errors }),
        request: { url: this.#config.url, body },
      }
    } catch (error) {
      throw toAiSdkError(error, errors)
    }
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { stream, request } = await this.doStream(options)
    return { ...(await collect(stream)), request }
  }
}

/** The stream's parts as one result (text and tool calls in order); an `error` part rejects, as a failed non-streamed request does. */
async function collect(stream: ReadableStream<LanguageModelV4StreamPart>): Promise<Omit<LanguageModelV4GenerateResult, 'request'>> {
  const content: LanguageModelV4Content[] = []
  let result: Omit<LanguageModelV4GenerateResult, 'request' | 'content'> | undefined
  const response: NonNullable<LanguageModelV4GenerateResult['response']> = {}
  const reader = stream.getReader()
  let warnings: LanguageModelV4GenerateResult['warnings'] = []
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    const part = next.value
    if (part.type === 'stream-start') warnings = part.warnings
    else if (part.type === 'response-metadata') Object.assign(response, { id: part.id, modelId: part.modelId, timestamp: part.timestamp })
    else if (part.type === 'text-delta') appendText(content, part.delta)
    else if (part.type === 'tool-call') content.push(part)
    else if (part.type === 'error') {
      await reader.cancel()
      throw part.error
    } else if (part.type === 'finish') {
      result = { finishReason: part.finishReason, usage: part.usage, providerMetadata: part.providerMetadata, warnings, response }
    }
  }
  return { content, ...result! }
}

function appendText(content: LanguageModelV4Content[], delta: string): void {
  const last = content.at(-1)
  if (last?.type === 'text') last.text += delta
  else content.push({ type: 'text', text: delta })
}

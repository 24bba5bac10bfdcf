import type { LanguageModelV4FinishReason, LanguageModelV4StreamPart, LanguageModelV4Usage, SharedV4Warning } from '@ai-sdk/provider'
import type { FinishReason, Usage } from '@tandem/protocol'
import type { ChatStream } from '@tandem/sdk'
import { toAiSdkError, type ErrorContext } from './errors.ts'
import { RouteRecord } from './tandem-metadata.ts'
import { ToolCallParts } from './tool-call-parts.ts'

export interface StreamPartsOptions {
  warnings: SharedV4Warning[]
  includeRawChunks: boolean
  errors: ErrorContext
}

/**
 * A Tandem answer as the AI SDK's stream parts: one text block however many routes wrote it, the
 * tool calls (their inputs streamed, then each whole as `tool-call`), then `finish` with usage, the
 * finish reason and `providerMetadata.tandem`. Cancelling the stream stops generation where it
 * runs; an abort errors the stream as `fetch` would, any other failure is an `error` part followed
 * by a `finish` whose reason is `error`.
 */
export function toStreamParts(stream: ChatStream, options: StreamPartsOptions): ReadableStream<LanguageModelV4StreamPart> {
  const iterator = streamParts(stream, options)
  return new ReadableStream<LanguageModelV4StreamPart>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel() {
      await iterator.return(undefined)
    },
  })
}

const TEXT_ID = 'text'

async function* streamParts(stream: ChatStream, { warnings, includeRawChunks, errors }: StreamPartsOptions): AsyncGenerator<LanguageModelV4StreamPart, void> {
  yield { type: 'stream-start', warnings }
  const route = new RouteRecord(stream)
  let described = false
  let textOpen = false
  const toolCalls = new ToolCallParts()
  let finishReason: FinishReason | 'error' | undefined
  let usage: Usage | undefined
  try {
    for await (const chunk of stream) {
      if (includeRawChunks) yield { type: 'raw', rawValue: chunk }
      if (!described) {
        described = true
        yield { type: 'response-metadata', id: chunk.id, modelId: chunk.model, timestamp: new Date(chunk.created * 1000) }
      }
      route.observe(chunk)
      const choice = chunk.choices[0]
      const text = choice?.delta.content
      if (text) {
        if (!textOpen) yield { type: 'text-start', id: TEXT_ID }
        textOpen = true
        yield { type: 'text-delta', id: TEXT_ID, delta: text }
      }
      if (choice?.delta.tool_calls) yield* toolCalls.observe(choice.delta.tool_calls)
      if (choice?.finish_reason) finishReason = choice.finish_reason
      if (chunk.usage) usage = chunk.usage
    }
  } catch (error) {
    const mapped = toAiSdkError(error, errors)
    if (errors.signal?.aborted) throw mapped
    yield { type: 'error', error: mapped }
    finishReason = 'error'
  }
  if (textOpen) yield { type: 'text-end', id: TEXT_ID }
  yield* toolCalls.end({ complete: finishReason === 'tool_calls' })
  yield { type: 'finish', finishReason: toFinishReason(finishReason), usage: toUsage(usage), providerMetadata: { tandem: route.toJSON() } }
}

function toFinishReason(reason: FinishReason | 'error' | undefined): LanguageModelV4FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
      return { unified: reason, raw: reason }
    case 'error':
      return { unified: 'error', raw: undefined }
    case 'tool_calls':
      return { unified: 'tool-calls', raw: reason }
    case 'content_filter':
      return { unified: 'content-filter', raw: reason }
    case undefined:
      // The stream ended without a finish reason: the answer may be cut.
      return { unified: 'interrupted', raw: undefined }
  }
}

export function toUsage(usage: Usage | undefined): LanguageModelV4Usage {
  return {
    inputTokens: { total: usage?.prompt_tokens, noCache: usage?.prompt_tokens, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: usage?.completion_tokens, text: usage?.completion_tokens, reasoning: undefined },
    ...(usage && { raw: { ...usage } }),
  }
}

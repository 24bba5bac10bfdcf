export { chatMessageSchema, contentText, textContentSchema, textPartSchema } from './chat-message.ts'
export type { ChatMessage, ChatRole, TextContent, TextPart } from './chat-message.ts'

export { assistantPrefix, chatRequestSchema, effectiveMaxTokens } from './chat-request.ts'
export type { ChatRequest, ChatRequestInput } from './chat-request.ts'

export { functionToolSchema, toolCallSchema, toolChoiceSchema } from './chat-tools.ts'
export type { FunctionTool, ToolCall, ToolChoice } from './chat-tools.ts'

export { responseFormatSchema } from './response-format.ts'
export { JSON_SCHEMA_LIMITS, STRING_FORMATS, jsonSchemaField, readJsonSchema } from './json-schema/index.ts'
export type { JsonSchema, JsonValue, ObjectProperty, ReadJsonSchemaResult, SchemaNode, SchemaPath, SchemaProblem, StringFormat } from './json-schema/index.ts'
export type { ResponseFormat } from './response-format.ts'

export {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  finishReasonSchema,
  logprobsSchema,
  tandemRouteSchema,
  usageSchema,
} from './chat-response.ts'
export type { ChatCompletion, ChatCompletionChunk, FinishReason, TandemRoute, Usage } from './chat-response.ts'
export { collectCompletion } from './collect-completion.ts'

export { modelListSchema, modelSchema } from './models-list.ts'
export type { Model, ModelList } from './models-list.ts'
export { minPromptTokens, promptBoundSchema } from './prompt-bound.ts'
export type { PromptBound } from './prompt-bound.ts'

export {
  codeForStatus,
  codeFromWire,
  httpStatusFor,
  isRetryableCode,
  isTandemErrorCode,
  openAiErrorTypeFor,
  tandemErrorCodes,
} from './error-codes.ts'
export type { TandemErrorCode } from './error-codes.ts'

export { errorEnvelopeSchema, errorFromBody, errorFromJson, errorFromResponse, modelNotFound, TandemError, toTandemError } from './errors.ts'
export { readBodyText } from './read-body.ts'
export { retryAfterMs, sleep } from './retry-after.ts'
export type { ErrorEnvelope, TandemErrorEnvelope, TandemErrorOptions } from './errors.ts'

export { bearerToken } from './bearer-token.ts'
export { findByDigest, keyDigest, timingSafeEqual } from './key-digest.ts'
export { DeliveredTokens } from './delivered-tokens.ts'
export type { CountedChunk } from './delivered-tokens.ts'

export { formatPath } from './format-path.ts'
export { redactPath } from './redact-path.ts'
export { parseChatRequest, parseWith } from './validate.ts'
export type { ParseResult } from './validate.ts'

export type { ChatStreamPart } from './chat-stream-part.ts'

export {
  createSseEncoderStream,
  encodeChatPart,
  encodeChatStream,
  formatSseEvent,
  SSE_DONE,
  SSE_PING,
} from './sse-encoder.ts'
export type { EncodeChatStreamOptions } from './sse-encoder.ts'

export { decodeSse, parseSseText, sseEvents } from './sse-decoder.ts'
export { createLineSplitter } from './sse-line-splitter.ts'
export { createSseEventParser } from './sse-event-parser.ts'
export type { SseEvent } from './sse-event-parser.ts'
export { createUtf8DecoderStream } from './utf8-decoder-stream.ts'
export { iterateStream } from './stream-iterator.ts'
export { Coalescer, FRAME_MS } from './coalescer.ts'
export type { CoalescerOptions } from './coalescer.ts'
export { decodeChatStream } from './chat-stream-decoder.ts'

export { fromWireError, fromWirePart, loadRequestSchema, mlcRecordSchema, toWireError, toWirePart } from './local-runtime.ts'
export type { CachedModel, LoadProgress, LoadRequest, LoadRequestInput, LocalRuntime, MlcRecord, Outcome, RuntimeStatus, WireChatPart, WireError } from './local-runtime.ts'

export { REQUEST_ID_HEADER, RETRY_AFTER_SECONDS, createJsonLogger, errorResponse, requestIdFor, silentLogger } from './server-kit/index.ts'
export type { JsonLoggerOptions, LogFields, LogLevel, Logger } from './server-kit/index.ts'

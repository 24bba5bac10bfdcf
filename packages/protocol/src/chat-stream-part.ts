import type { ChatCompletionChunk } from './chat-response.ts'
import type { TandemError } from './errors.ts'

/**
 * What a chat stream carries, as values: chunks, then exactly one `done` or one `error`.
 * Errors travel as parts so a consumer's loop never has to catch in the middle.
 */
export type ChatStreamPart =
  | { type: 'chunk'; chunk: ChatCompletionChunk }
  | { type: 'error'; error: TandemError }
  | { type: 'done' }

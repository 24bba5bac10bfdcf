import { z } from 'zod'
import { contentText, type ChatMessage } from './chat-message.ts'

/**
 * What a server says of a model (in `GET /v1/models`, Tandem's addition) so that whoever stands in
 * front of it can bound a prompt's tokens from below without its tokenizer: the gateway refuses
 * what certainly cannot fit before any upstream spends time on it.
 */
export const promptBoundSchema = z.object({
  /** The longest token of the vocabulary in UTF-8 bytes: text of n bytes is at least n / this many tokens. */
  max_token_bytes: z.number().int().positive(),
  /** Tokens the chat template adds beside the text of each message but the last (Grok-2's: its separator). */
  tokens_per_message: z.number().int().nonnegative(),
})

export type PromptBound = z.infer<typeof promptBoundSchema>

/** UTF-8 length without encoding: a lone surrogate counts as the 3 bytes of U+FFFD, as every encoder writes it. */
function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/**
 * A prompt's tokens are at least this many, whatever the tokenizer splits: each message's text
 * (trimmed, as templates trim it) at most `max_token_bytes` a token, plus what the template adds per
 * message. Other fields (tools, tool calls) only add tokens and are left out, so this never
 * overestimates: a prompt refused by it could not have fit.
 */
export function minPromptTokens(messages: readonly Pick<ChatMessage, 'content'>[], bound: PromptBound): number {
  let bytes = 0
  for (const message of messages) bytes += utf8Length(contentText(message.content).trim())
  return Math.ceil(bytes / bound.max_token_bytes) + Math.max(0, messages.length - 1) * bound.tokens_per_message
}

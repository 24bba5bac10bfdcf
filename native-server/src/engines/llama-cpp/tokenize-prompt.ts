import type { LlamaModel, Token } from 'node-llama-cpp'
import { TandemError } from '@tandem/protocol'
import type { PromptPart } from '@tandem/models'
import { abortReason } from '../abort-reason.ts'

/** Tokenizing yields to the event loop after this long, so one huge prompt does not stall every other request. */
const TOKENIZE_SLICE_MS = 4

/**
 * Text stretches tokenized with control-token parsing off; control tokens placed by id. A stretch
 * at a time, yielding to the event loop every few ms, and no further than `limit` tokens (past it
 * the prompt cannot fit and is refused, with `limit` tokens returned).
 */
export async function tokenizePrompt(model: LlamaModel, parts: readonly PromptPart[], limit: number, signal: AbortSignal): Promise<Token[]> {
  const tokens: Token[] = []
  const bos = model.tokens.bos
  if (bos !== null && model.fileInfo.metadata.tokenizer?.ggml?.add_bos_token === true) tokens.push(bos)
  const specials = new Map<string, Token>()
  let sliceStart = performance.now()
  for (const part of parts) {
    if (typeof part === 'string') {
      for (const token of model.tokenize(part, false)) tokens.push(token)
    } else {
      let special = specials.get(part.special)
      if (special === undefined) {
        const found = model.tokenize(part.special, true)
        if (found.length !== 1) throw new TandemError('unsupported', `this model has no ${part.special} token: it is not a Grok-2 chat model`)
        special = found[0]!
        specials.set(part.special, special)
      }
      tokens.push(special)
    }
    if (tokens.length >= limit) return tokens.slice(0, limit)
    if (performance.now() - sliceStart >= TOKENIZE_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      if (signal.aborted) throw abortReason(signal)
      sliceStart = performance.now()
    }
  }
  return tokens
}

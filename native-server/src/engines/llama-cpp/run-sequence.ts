import type { LlamaContextSequence, SequenceEvaluateOptions, Token } from 'node-llama-cpp'
import { answerTextStart } from '@tandem/models'
import type { GateMember } from './step-gate.ts'
import { StopMatcher } from './stop-matcher.ts'
import { TokenTextDecoder } from './token-text.ts'

export interface RunSequenceOptions {
  sequence: LlamaContextSequence
  /** Joined when generation starts, left when it ends. */
  gate: { join(): GateMember }
  prompt: readonly Token[]
  evaluate: SequenceEvaluateOptions
  /** Already within the context: generation never shifts the context. */
  maxTokens: number
  stops: readonly string[]
  bytesOf: (token: Token) => Uint8Array
  isEndOfGeneration: (token: Token) => boolean
  /** Keep generating past end-of-generation tokens (counted, never shown as text). */
  ignoreEndOfGeneration: boolean
  /** Not a continued prefix: the answer's first text loses the space after `Assistant:` (`answerTextStart`). */
  newAnswer: boolean
  signal: AbortSignal
  /** `completionTokens`: generated so far, the ones behind this text included. */
  onText: (text: string, completionTokens: number) => void
}

export type RunOutcome = { finishReason: 'stop' | 'length'; completionTokens: number } | { aborted: true; completionTokens: number }

/**
 * Generates one completion on one sequence: a token per gated step, turned into text that never
 * splits a character, cut at the first stop sequence. Stops at the next step once `signal` aborts.
 * The sequence is empty again when the promise settles, ready for the next request.
 */
export async function runSequence(options: RunSequenceOptions): Promise<RunOutcome> {
  const { sequence, signal, maxTokens } = options
  const decoder = new TokenTextDecoder(options.bytesOf)
  const stops = new StopMatcher(options.stops)
  const answerStart = answerTextStart(options.newAnswer)
  let completionTokens = 0

  // Text on its way out: the answer's start, then stop sequences.
  const release = (text: string, last = false): boolean => {
    const out = stops.push(answerStart(text))
    const rest = last && !out.stopped ? stops.end() : ''
    if (out.text + rest !== '') options.onText(out.text + rest, completionTokens)
    return out.stopped
  }

  const member = options.gate.join()
  const tokens = sequence.evaluate([...options.prompt], { ...options.evaluate, yieldEogToken: true })
  try {
    while (completionTokens < maxTokens) {
      await member.step()
      if (signal.aborted) return { aborted: true, completionTokens }
      const next = await tokens.next()
      if (next.done) break
      completionTokens++
      if (options.isEndOfGeneration(next.value)) {
        if (options.ignoreEndOfGeneration) continue
        release(decoder.end(), true)
        return { finishReason: 'stop', completionTokens }
      }
      if (release(decoder.push(next.value))) return { finishReason: 'stop', completionTokens }
      if (signal.aborted) return { aborted: true, completionTokens }
    }
    if (release(decoder.end(), true)) return { finishReason: 'stop', completionTokens }
    return { finishReason: 'length', completionTokens }
  } finally {
    member.leave()
    await tokens.return()
    if (!sequence.disposed) await sequence.clearHistory()
  }
}

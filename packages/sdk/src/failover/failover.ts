import { TandemError, type ChatCompletionChunk, type ChatRequest, type ChatStreamPart } from '@tandem/protocol'
import type { Route, Transport } from '../transport.ts'
import { continuationRequest, continueChunk, ProducedSoFar } from './continuation.ts'

export interface RouteChange {
  from: Route
  to: Route
  /** Why, in words: the failure that ended the first route. */
  reason: string
  error: TandemError
  /** Characters of the answer the first route had streamed; the second continues after them. */
  continuedAt: number
}

export interface FailoverOptions {
  request: ChatRequest
  /** The route `parts` come from. */
  from: Route
  /** Where the answer continues. */
  next: Transport
  signal: AbortSignal
  /** Asked at the moment of failure (is the device online?); false keeps the first route's error. */
  available?(): boolean
  onRouteChange?(change: RouteChange): void
}

/** Failures another route would repeat, or that the caller asked for. */
const FINAL = new Set(['aborted', 'invalid_request'])

/**
 * Streams `parts` from the first route; if it fails — before its first chunk or in the middle
 * of the answer — the same answer goes on from `next`: the conversation plus the text so far as
 * an assistant prefix. The caller sees one stream: one id, no repeated or lost text, and chunks
 * that say which route produced them. Not once an answer bound to a JSON response_format has text
 * (below), nor after a tool call began: a prefix is text, and the
 * caller already holds part of the call, which another route's call (another id, other arguments)
 * would only be spliced onto. A failure inside a call ends the stream with `tool_call_interrupted`
 * (retryable: the caller sends the request again), so no caller ever assembles a broken call.
 */
export async function* withFailover(parts: AsyncIterable<ChatStreamPart>, { request, from, next, signal, available = () => true, onRouteChange }: FailoverOptions): AsyncGenerator<ChatStreamPart> {
  const produced = new ProducedSoFar()
  const format = request.response_format?.type ?? 'text'
  let first: ChatCompletionChunk | undefined
  let unresumable = false
  let inToolCall = false
  let failure: TandemError | undefined

  for await (const part of parts) {
    if (part.type === 'chunk') {
      first ??= part.chunk
      produced.add(part.chunk)
      for (const choice of part.chunk.choices) {
        if (choice.delta.tool_calls?.length) inToolCall = unresumable = true
        if (choice.finish_reason) [inToolCall, unresumable] = [false, true]
      }
      yield part
      continue
    }
    if (part.type === 'error' && inToolCall && !FINAL.has(part.error.code) && !signal.aborted) {
      const message = `the ${from} route stopped inside a tool call (${part.error.message}); the call was not finished: send the request again`
      yield { type: 'error', error: new TandemError('tool_call_interrupted', message, { cause: part.error }) }
      return
    }
    if (part.type === 'done' || FINAL.has(part.error.code) || signal.aborted || unresumable || !available()) {
      yield part
      return
    }
    // A grammar-bound answer cannot go on from a prefix (its grammar would start again mid-answer),
    // and a fresh answer would not extend what the caller already has: before any text it starts
    // over on the next route, after some it ends with the error, which says so.
    if (format !== 'text' && produced.text !== '') {
      const { code, message } = part.error
      yield { type: 'error', error: new TandemError(code, `${message}; an answer under response_format "${format}" cannot be continued on another route: send the request again`, { cause: part.error }) }
      return
    }
    failure = part.error
    break
  }
  if (!failure) return

  const reason = `${failure.message}; continued on the ${next.route} route`
  onRouteChange?.({ from, to: next.route, reason, error: failure, continuedAt: produced.text.length })
  const route = { route: next.route, reason }
  for await (const part of next.stream(continuationRequest(request, produced), signal)) {
    yield part.type === 'chunk' ? { type: 'chunk', chunk: continueChunk(part.chunk, first, produced, route) } : part
  }
}

import { DeliveredTokens, encodeChatPart, parseSseText, TandemError, usageSchema, type CountedChunk, type Usage } from '@tandem/protocol'
import { SseEventCutter } from './sse-event-cutter.ts'

export type RelayOutcome =
  /** `[DONE]` went through. */
  | 'done'
  /** The upstream's own `event: error` went through. */
  | 'error'
  /** The upstream ended, failed or went silent before either: the gateway sent an `event: error`. */
  | 'cut'
  /** The client went away; the upstream request was aborted. */
  | 'cancelled'

export interface RelayEnd {
  readonly outcome: RelayOutcome
  /** From the usage chunk, when the upstream sent one. */
  readonly usage: Usage | undefined
  /** Chunk events seen, not counting a usage-only one. */
  readonly chunks: number
  /** Completion tokens relayed, by the one rule of `DeliveredTokens`: what a stream that ended early is charged. */
  readonly completionTokens: number
  /** The prompt's tokens, when a chunk said. */
  readonly promptTokens: number | undefined
  readonly error: TandemError | undefined
}

export interface RelayOptions {
  readonly reader: ReadableStreamDefaultReader<Uint8Array>
  /** Bytes already read (the first read decided the upstream). */
  readonly first: Uint8Array
  /** False to drop the usage-only chunk the gateway asked for on the client's behalf. */
  readonly keepUsageChunk: boolean
  /** Ends the stream with a timeout error after this long without a byte. */
  readonly idleTimeoutMs: number
  /** Aborts the upstream request. */
  readonly abort: (reason?: unknown) => void
  readonly onEnd: (end: RelayEnd) => void
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

type EventKind = 'chunk' | 'usage-only' | 'done' | 'error' | 'other'

/** Looks at one complete event (read with protocol's SSE parser) just enough to follow the stream and count its tokens; the bytes go on untouched. */
function inspect(bytes: Uint8Array): { kind: EventKind; usage?: Usage; counted?: CountedChunk } {
  const event = parseSseText(decoder.decode(bytes))[0]
  if (event === undefined) return { kind: 'other' }
  if (event.event === 'error') return { kind: 'error' }
  if (event.event !== 'message') return { kind: 'other' }
  if (event.data === '[DONE]') return { kind: 'done' }
  try {
    const json = JSON.parse(event.data) as unknown
    if (typeof json !== 'object' || json === null) return { kind: 'chunk' }
    const { usage: given, choices } = json as { usage?: unknown; choices?: unknown }
    const usage = given === undefined ? undefined : usageSchema.safeParse(given)
    const usageOnly = Array.isArray(choices) && choices.length === 0 && typeof given === 'object' && given !== null
    // An upstream's JSON, not yet trusted: DeliveredTokens gets objects where it reads fields.
    const objects = Array.isArray(choices) ? choices.filter((choice: unknown) => typeof choice === 'object' && choice !== null) : undefined
    const counted = { ...json, choices: objects } as CountedChunk
    return { kind: usageOnly ? 'usage-only' : 'chunk', counted, ...(usage?.success === true && { usage: usage.data }) }
  } catch {
    return { kind: 'chunk' }
  }
}

/**
 * An upstream SSE body on its way to the client, event by event and byte for byte: no
 * buffering beyond an unfinished event, backpressure end to end (it reads only when the
 * client does). It never truncates silently: a stream that ends, fails or stalls before
 * `[DONE]` or an error ends with an `event: error` carrying the envelope. Cancelling it
 * (the client left) aborts the upstream request, so the GPU stops working for nobody.
 */
export function relaySse({ reader, first, keepUsageChunk, idleTimeoutMs, abort, onEnd }: RelayOptions): ReadableStream<Uint8Array> {
  const cutter = new SseEventCutter()
  let pending: Uint8Array | undefined
  let pendingFirst: Uint8Array | undefined = first
  let terminal: 'done' | 'error' | undefined
  let usage: Usage | undefined
  let chunks = 0
  const delivered = new DeliveredTokens()
  let ended = false
  let lastByteAt = Date.now()
  let timedOut = false
  let idleTimer: ReturnType<typeof setTimeout> | undefined

  function watchIdle(delay: number): void {
    idleTimer = setTimeout(function checkIdle() {
      const idle = Date.now() - lastByteAt
      if (idle < idleTimeoutMs) return watchIdle(idleTimeoutMs - idle)
      timedOut = true
      abort(new DOMException('the upstream went silent', 'TimeoutError'))
    }, delay)
  }

  function end(outcome: RelayOutcome, error?: TandemError): void {
    if (ended) return
    ended = true
    clearTimeout(idleTimer)
    onEnd({ outcome, usage, chunks, completionTokens: delivered.completionTokens, promptTokens: delivered.promptTokens, error })
  }

  /** What to send of `bytes`: complete events only, without a usage-only chunk the client did not ask for. */
  function take(bytes: Uint8Array): Uint8Array | undefined {
    const ends = cutter.cut(bytes)
    if (ends.length === 0) {
      pending = pending === undefined ? bytes.slice() : concat([pending, bytes])
      return undefined
    }
    const out: Uint8Array[] = []
    let start = 0
    for (const stop of ends) {
      const event = pending === undefined ? bytes.subarray(start, stop) : concat([pending, bytes.subarray(0, stop)])
      pending = undefined
      start = stop
      const seen = inspect(event)
      if (seen.usage !== undefined) usage = seen.usage
      if (seen.counted !== undefined) delivered.see(seen.counted)
      if (seen.kind === 'chunk') chunks++
      else if (seen.kind === 'done' || seen.kind === 'error') terminal ??= seen.kind
      if (seen.kind !== 'usage-only' || keepUsageChunk) out.push(event)
    }
    if (start < bytes.length) pending = bytes.slice(start)
    return out.length === 0 ? undefined : concat(out)
  }

  function finish(controller: ReadableStreamDefaultController<Uint8Array>, how: 'ended' | 'failed'): void {
    if (ended) return
    if (terminal !== undefined) {
      controller.close()
      return end(terminal)
    }
    const error = timedOut
      ? new TandemError('timeout', `the upstream sent nothing for ${idleTimeoutMs} ms`)
      : how === 'failed'
        ? new TandemError('upstream_unavailable', 'the upstream connection failed mid-stream')
        : new TandemError('upstream_error', 'the upstream ended the stream before it finished')
    controller.enqueue(encoder.encode(encodeChatPart({ type: 'error', error })))
    controller.close()
    end('cut', error)
  }

  return new ReadableStream<Uint8Array>(
    {
      start() {
        watchIdle(idleTimeoutMs)
      },
      async pull(controller) {
        if (pendingFirst !== undefined) {
          const out = take(pendingFirst)
          pendingFirst = undefined
          if (out !== undefined) return controller.enqueue(out)
        }
        for (;;) {
          let read: Awaited<ReturnType<typeof reader.read>>
          try {
            read = await reader.read()
          } catch {
            return finish(controller, 'failed')
          }
          if (read.done) return finish(controller, 'ended')
          lastByteAt = Date.now()
          const out = take(read.value)
          if (out !== undefined) return controller.enqueue(out)
        }
      },
      async cancel(reason) {
        end('cancelled')
        abort(reason)
        await reader.cancel(reason).catch(() => undefined)
      },
    },
    { highWaterMark: 0 },
  )
}

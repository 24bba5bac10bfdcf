import type { ChatCompletionChunk, FinishReason, Usage } from '@tandem/protocol'
import { chunkMaker } from './chunks.ts'

type Ending = { finishReason: FinishReason; usage: Usage } | { error: unknown }

/**
 * Between a generation and its reader. The generation pushes text and never waits; the reader
 * gets everything pushed since its last read as one chunk, so a reader that falls behind (a slow
 * client, a busy core) catches up in fewer, larger chunks instead of one per token. Readers are
 * woken after the generation's next decode has started, so the HTTP work overlaps the model's.
 */
export class ChunkQueue implements AsyncIterable<ChatCompletionChunk> {
  private readonly chunks: ReturnType<typeof chunkMaker>
  private text = ''
  private ending: Ending | undefined
  private wake: (() => void) | undefined
  private wakeScheduled = false

  /** `onLeave` runs when the reader stops before the end. */
  constructor(identity: Parameters<typeof chunkMaker>[0], private readonly onLeave: () => void) {
    this.chunks = chunkMaker(identity)
  }

  push(text: string): void {
    this.text += text
    this.schedule()
  }

  finish(finishReason: FinishReason, usage: Usage): void {
    this.ending ??= { finishReason, usage }
    this.schedule()
  }

  fail(error: unknown): void {
    this.ending ??= { error }
    this.schedule()
  }

  private schedule(): void {
    if (this.wakeScheduled || !this.wake) return
    this.wakeScheduled = true
    // Two turns: node-llama-cpp dispatches the next decode from a setImmediate queued after this
    // push; the reader's HTTP work should start once that decode runs, not before it.
    setImmediate(() =>
      setImmediate(() => {
        this.wakeScheduled = false
        const wake = this.wake
        this.wake = undefined
        wake?.()
      }),
    )
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    let done = false
    try {
      for (;;) {
        if (this.text === '' && !this.ending) await new Promise<void>((resolve) => (this.wake = resolve))
        if (this.text !== '') {
          const text = this.text
          this.text = ''
          yield this.chunks.text(text)
          continue
        }
        const ending = this.ending!
        done = true
        if ('error' in ending) throw ending.error
        yield this.chunks.finish(ending.finishReason)
        yield this.chunks.usage(ending.usage)
        return
      }
    } finally {
      if (!done) this.onLeave()
    }
  }
}

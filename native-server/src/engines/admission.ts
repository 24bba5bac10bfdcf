import { TandemError } from '@tandem/protocol'

export interface AdmissionOptions {
  /** Requests served at once (llama.cpp: parallel sequences). */
  slots: number
  /** Requests that may wait for a slot; one more is refused with 429. */
  queueDepth: number
  /** How long a request may wait for a slot; 0 waits as long as the client does. */
  queueTimeoutMs?: number
}

/** A held slot: its index (stable, so an engine can keep one sequence per slot) and its release. */
export interface Slot {
  readonly index: number
  release(): void
}

interface Waiter {
  grant(slot: Slot): void
  refuse(error: TandemError): void
}

/** A fixed number of slots and a bounded first-in, first-out queue in front of them. */
export class Admission {
  readonly #free: number[]
  readonly #waiting: Waiter[] = []
  #closedWith: TandemError | undefined

  readonly #options: AdmissionOptions

  constructor(options: AdmissionOptions) {
    this.#options = options
    this.#free = Array.from({ length: options.slots }, (_, index) => index)
  }

  get active(): number {
    return this.#options.slots - this.#free.length
  }

  get queued(): number {
    return this.#waiting.length
  }

  get capacity(): { slots: number; queueDepth: number } {
    return { slots: this.#options.slots, queueDepth: this.#options.queueDepth }
  }

  /** True when one more request would be refused. */
  get full(): boolean {
    return this.#free.length === 0 && this.#waiting.length >= this.#options.queueDepth
  }

  acquire(signal?: AbortSignal): Promise<Slot> {
    if (this.#closedWith) return Promise.reject(this.#closedWith)
    if (signal?.aborted) return Promise.reject(new TandemError('aborted', 'the request was aborted'))
    const index = this.#free.shift()
    if (index !== undefined) return Promise.resolve(this.#slot(index))
    if (this.#waiting.length >= this.#options.queueDepth) {
      return Promise.reject(
        new TandemError('rate_limited', `the server is at capacity (${this.#options.slots} running, ${this.#waiting.length} waiting); retry later`),
      )
    }
    return new Promise<Slot>((resolve, reject) => {
      const timeoutMs = this.#options.queueTimeoutMs ?? 0
      const timer = timeoutMs > 0 ? setTimeout(() => leave(new TandemError('rate_limited', `no free slot within ${timeoutMs} ms; retry later`)), timeoutMs) : undefined
      const onAbort = () => leave(new TandemError('aborted', 'the request was aborted while waiting for a slot'))
      const cleanup = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      const waiter: Waiter = {
        grant: (slot) => {
          cleanup()
          resolve(slot)
        },
        refuse: (error) => {
          cleanup()
          reject(error)
        },
      }
      const leave = (error: TandemError) => {
        const at = this.#waiting.indexOf(waiter)
        if (at >= 0) this.#waiting.splice(at, 1)
        waiter.refuse(error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(waiter)
    })
  }

  /** Refuses everything waiting and everything after; running requests keep their slots. */
  close(error: TandemError): void {
    this.#closedWith = error
    for (const waiter of this.#waiting.splice(0)) waiter.refuse(error)
  }

  #slot(index: number): Slot {
    let released = false
    return {
      index,
      release: () => {
        if (released) return
        released = true
        const next = this.#waiting.shift()
        if (next) next.grant(this.#slot(index))
        else this.#free.push(index)
      },
    }
  }
}

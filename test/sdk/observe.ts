// What a caller sees of one SDK stream, as plain data: the same code runs in Node (gateway.test.ts)
// and in workerd (workerd/worker.ts), so both runtimes are held to the same properties.
import type { CreateParams, Tandem } from '@tandem/sdk'
import { TandemError } from '@tandem/sdk'

export interface Observed {
  readonly route: string
  readonly reasons: readonly string[]
  readonly chunks: number
  readonly text: string
  readonly finishReason: string | null
  readonly error?: { readonly code: string; readonly status: number | undefined; readonly message: string }
}

/** Streams `params` through `tandem` to the end, or to the TandemError that ends it. */
export async function observeStream(tandem: Tandem, params: CreateParams): Promise<Observed> {
  let route = ''
  let reasons: readonly string[] = []
  let chunks = 0
  let text = ''
  let finishReason: string | null = null
  try {
    const stream = await tandem.chat.completions.create({ ...params, stream: true })
    route = stream.route
    reasons = stream.plan.reasons
    for await (const chunk of stream) {
      chunks++
      text += chunk.choices[0]?.delta.content ?? ''
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason
    }
    return { route, reasons, chunks, text, finishReason }
  } catch (error) {
    if (!TandemError.isInstance(error)) throw error
    return { route, reasons, chunks, text, finishReason, error: { code: error.code, status: error.status, message: error.message } }
  }
}

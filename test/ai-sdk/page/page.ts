/// <reference lib="dom" />
/// <reference types="vite/client" />
// The page the AI SDK's browser tests drive: @tandem/ai-sdk with the real local worker, bundled by Vite.
// Tests call `window.harness.*` through page.evaluate; each call returns plain data.
import { createTandemProvider, TandemChatTransport, type TandemUIMessage } from '@tandem/ai-sdk'
import { startLocalWorker } from '@tandem/local-worker'
import type { TandemOptions } from '@tandem/sdk'
import { generateText, readUIMessageStream, stepCountIs, streamText, tool } from 'ai'
import { z } from 'zod'

export interface Run {
  route: NonNullable<TandemOptions['route']>
  remote?: { baseURL: string; apiKey: string }
  prompt: string
  maxOutputTokens: number
  /** Terminates the local worker once this many characters of the answer have arrived. */
  killWorkerAfterChars?: number
  /** Aborts the call (its abortSignal) once this many characters of the answer have arrived. */
  abortAfterChars?: number
  modelsURL?: string
  /** Gives the model define_word: called in the first step, answered in text in the second. */
  defineWord?: boolean
}

function provider(run: Run, workers: Worker[]) {
  return createTandemProvider({
    model: 'grok-2-tiny',
    route: run.route,
    ...(run.remote && { remote: run.remote }),
    local: {
      worker: () => {
        const worker = startLocalWorker()
        workers.push(worker)
        return worker
      },
      ...(run.modelsURL && { modelsURL: run.modelsURL }),
    },
  })
}

const settings = (run: Run) => ({ temperature: 0, maxOutputTokens: run.maxOutputTokens, providerOptions: { tandem: { ignoreEos: true } } })

/** streamText on the model, as a Node caller would use it: what it streamed, and how it ended. */
async function stream(run: Run) {
  const workers: Worker[] = []
  const tandem = provider(run, workers)
  const controller = new AbortController()
  let aborted = false
  const errors: Array<{ name: string; message: string; statusCode?: number; data?: unknown }> = []
  try {
    const result = streamText({
      model: tandem('grok-2-tiny'),
      prompt: run.prompt,
      ...settings(run),
      maxRetries: 0,
      abortSignal: controller.signal,
      onAbort: () => void (aborted = true),
      onError: ({ error }) => void errors.push({ ...(error as object), name: (error as Error).name, message: (error as Error).message }),
    })
    let text = ''
    let deltas = 0
    const types: string[] = []
    for await (const part of result.fullStream) {
      types.push(part.type)
      if (part.type !== 'text-delta' || !part.text) continue
      deltas++
      text += part.text
      if (run.abortAfterChars !== undefined && text.length >= run.abortAfterChars && !controller.signal.aborted) controller.abort()
    }
    const finished = !aborted && errors.length === 0
    return {
      text,
      deltas,
      types,
      aborted,
      errors: errors.map(({ name, message, statusCode, data }) => ({ name, message, statusCode, data })),
      ...(finished && { finishReason: await result.finishReason, usage: await result.usage, providerMetadata: await result.providerMetadata }),
    }
  } finally {
    await tandem.client.close()
  }
}

/** generateText on the model: the whole answer at once. */
async function generate(run: Run) {
  const tandem = provider(run, [])
  try {
    const { text, finishReason, usage, providerMetadata } = await generateText({ model: tandem('grok-2-tiny'), prompt: run.prompt, ...settings(run) })
    return { text, finishReason, outputTokens: usage.outputTokens, providerMetadata }
  } finally {
    await tandem.client.close()
  }
}

/** define_word for a two-step loop: the first step must call it, the second answers in text after its result. */
function defineWordLoop(executed: string[]) {
  const define_word = tool({
    inputSchema: z.object({ word: z.string().max(24) }),
    execute: async ({ word }) => {
      executed.push(word)
      return { meaning: `the meaning of ${word}` }
    },
  })
  return {
    tools: { define_word },
    toolChoice: 'required' as const,
    prepareStep: ({ stepNumber }: { stepNumber: number }) => (stepNumber === 0 ? {} : { toolChoice: 'none' as const }),
    stopWhen: stepCountIs(2),
  }
}

/** generateText through the define_word loop: each step's calls and text. */
async function toolLoop(run: Run) {
  const tandem = provider(run, [])
  const executed: string[] = []
  try {
    const result = await generateText({ model: tandem('grok-2-tiny'), prompt: run.prompt, ...defineWordLoop(executed), temperature: 0, maxOutputTokens: run.maxOutputTokens })
    return {
      executed,
      steps: result.steps.map((step) => ({ finishReason: step.finishReason, toolCalls: step.toolCalls.map(({ toolName, input }) => ({ toolName, input })), text: step.text })),
      route: (result.providerMetadata?.tandem as { route?: string } | undefined)?.route,
    }
  } finally {
    await tandem.client.close()
  }
}

/** One turn through the chat transport, read the way useChat reads it: every state of the assistant message. */
async function chat(run: Run) {
  const workers: Worker[] = []
  const tandem = provider(run, workers)
  try {
    const executed: string[] = []
    const transport = new TandemChatTransport({ model: tandem('grok-2-tiny'), settings: run.defineWord ? { temperature: 0, maxOutputTokens: run.maxOutputTokens, ...defineWordLoop(executed) } : settings(run) })
    const user: TandemUIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', text: run.prompt }] }
    const chunks = await transport.sendMessages({ trigger: 'submit-message', chatId: 'c1', messageId: undefined, messages: [user], abortSignal: undefined })
    const ids = new Set<string>()
    const texts: string[] = []
    let last: TandemUIMessage | undefined
    let killedAtChars: number | undefined
    for await (const message of readUIMessageStream<TandemUIMessage>({ stream: chunks, terminateOnError: true })) {
      ids.add(message.id)
      const text = message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
      texts.push(text)
      last = message
      if (run.killWorkerAfterChars !== undefined && killedAtChars === undefined && text.length >= run.killWorkerAfterChars) {
        killedAtChars = text.length
        workers.at(-1)?.terminate()
      }
    }
    const tools = last?.parts.flatMap((part) => (part.type.startsWith('tool-') ? [part as { state: string; input: unknown; output?: unknown }] : [])) ?? []
    return {
      ids: [...ids],
      texts,
      parts: last?.parts.map((part) => part.type) ?? [],
      tools: tools.map(({ state, input, output }) => ({ state, input, output })),
      executed,
      metadata: last?.metadata ?? null,
      killedAtChars,
    }
  } finally {
    await tandem.client.close()
  }
}

const harness = { stream, generate, toolLoop, chat }
export type Harness = typeof harness
;(window as unknown as { harness: Harness }).harness = harness
document.title = 'ready'

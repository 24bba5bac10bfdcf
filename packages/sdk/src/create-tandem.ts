import { findModel } from '@tandem/models'
import { TandemError, parseChatRequest, parseWith, type ChatCompletion, type ChatRequestInput } from '@tandem/protocol'
import { ChatStream } from './chat-stream.ts'
import { tandemOptionsSchema, type TandemOptions } from './options.ts'
import type { DeviceProfile } from './plan/device.ts'
import { planRoute, type Plan } from './plan/planner.ts'
import { probeDevice } from './plan/probe.ts'
import { createRemoteTransport } from './remote/remote-transport.ts'
import type { Transport } from './transport.ts'

/** A chat request as the `openai` client takes it; `model` defaults to the client's. */
export type CreateParams = Omit<ChatRequestInput, 'model'> & { model?: string; signal?: AbortSignal }
type StreamingParams = CreateParams & { stream: true }
type NonStreamingParams = CreateParams & { stream?: false | null }

export interface Tandem {
  chat: {
    completions: {
      create(params: StreamingParams): Promise<ChatStream>
      create(params: NonStreamingParams): Promise<ChatCompletion>
    }
  }
  /** Where the next request would go, and why. No side effects: nothing loads or downloads. */
  plan(): Promise<Plan>
}

/** The client. Options are checked here, once, with errors that name the option. */
export function createTandem(input: TandemOptions): Tandem {
  const parsed = parseWith(tandemOptionsSchema, input, 'options')
  if (!parsed.ok) throw parsed.error
  const options = parsed.value
  const remote = options.remote && createRemoteTransport({ ...options.remote, maxRetries: options.maxRetries, fetch: options.fetch })
  let device: Promise<DeviceProfile> | undefined

  async function planFor(modelId: string): Promise<Plan> {
    device ??= probeDevice()
    return planRoute({
      device: await device,
      model: findModel(modelId),
      modelId,
      mode: options.route,
      contextLength: options.contextLength,
      hasRemote: remote !== undefined,
      hasLocalRuntime: false,
      cachedVariants: [],
    })
  }

  async function open({ signal, ...body }: CreateParams): Promise<ChatStream> {
    const request = parseChatRequest({ model: options.model, ...body, stream: true, stream_options: { include_usage: true } })
    if (!request.ok) throw request.error
    const chosen = await planFor(request.value.model)
    const transport: Transport | undefined = chosen.route === 'remote' ? remote : undefined
    if (!transport) throw new TandemError('local_unavailable', `no route can serve ${request.value.model}: ${chosen.reasons.join('; ')}`)
    const controller = new AbortController()
    if (signal) {
      if (signal.aborted) controller.abort(signal.reason)
      else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
    }
    return new ChatStream(transport.stream(request.value, controller.signal), transport.route, chosen, controller)
  }

  async function create(params: StreamingParams): Promise<ChatStream>
  async function create(params: NonStreamingParams): Promise<ChatCompletion>
  async function create(params: CreateParams): Promise<ChatStream | ChatCompletion> {
    const stream = await open(params)
    return params.stream ? stream : stream.finalCompletion()
  }

  return { chat: { completions: { create } }, plan: () => planFor(options.model) }
}

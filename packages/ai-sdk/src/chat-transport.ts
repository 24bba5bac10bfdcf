import type { JSONObject, LanguageModelV4 } from '@ai-sdk/provider'
import { convertToModelMessages, streamText, type ChatTransport, type TextStreamPart, type ToolSet, type UIMessage, type UIMessageChunk } from 'ai'

/** What `streamText` takes, less what the transport itself sets each turn. */
type TurnSettings = Omit<Parameters<typeof streamText<ToolSet>>[0], 'model' | 'instructions' | 'prompt' | 'messages' | 'abortSignal' | 'experimental_transform'>

export interface TandemChatTransportOptions {
  /** `tandem('grok-2-tiny')` from `createTandemProvider`: in a page, with `local` for the device and `remote` for the gateway. */
  model: LanguageModelV4
  /** The system message for every turn. */
  instructions?: string
  /**
   * `streamText`'s settings for every turn: sampling (temperature, maxOutputTokens, stopSequences, seed,
   * providerOptions…), and `tools` with `toolChoice`, `stopWhen` and `prepareStep`: a tool's `execute` runs in
   * the page, and its call and result are parts of the assistant message.
   */
  settings?: TurnSettings
}

/** What each assistant message's `metadata` holds once it finishes: `providerMetadata.tandem` of its answer. */
export interface TandemMessageMetadata {
  tandem?: JSONObject
}

/** `useChat<TandemUIMessage>({ transport })` types `message.metadata?.tandem`. */
export type TandemUIMessage = UIMessage<TandemMessageMetadata>

/**
 * `useChat`'s transport with no server route: each turn runs `streamText` in the page on a Tandem
 * model, so it answers on this device when the planner says so and otherwise straight from the
 * gateway (with a publishable key or a token). An answer that fails over midway is one message;
 * its metadata says where it ran, why, and whether it moved.
 */
export class TandemChatTransport implements ChatTransport<TandemUIMessage> {
  readonly #options: TandemChatTransportOptions

  constructor(options: TandemChatTransportOptions) {
    this.#options = options
  }

  async sendMessages({ messages, abortSignal }: Parameters<ChatTransport<TandemUIMessage>['sendMessages']>[0]): Promise<ReadableStream<UIMessageChunk>> {
    const { model, instructions, settings } = this.#options
    let tandem: JSONObject | undefined
    const result = streamText({
      model,
      ...(instructions !== undefined && { instructions }),
      ...settings,
      messages: await convertToModelMessages(messages),
      abortSignal,
      // The step's provider metadata passes here before the final `finish` part, which carries none.
      experimental_transform: () =>
        new TransformStream<TextStreamPart<ToolSet>, TextStreamPart<ToolSet>>({
          transform(part, controller) {
            if (part.type === 'finish-step') tandem = part.providerMetadata?.tandem
            controller.enqueue(part)
          },
        }),
    })
    return result.toUIMessageStream<TandemUIMessage>({
      originalMessages: messages,
      messageMetadata: ({ part }) => (part.type === 'finish' && tandem ? { tandem } : undefined),
    })
  }

  /** Nothing runs on a server to reconnect to: an answer lives as long as the page that asked for it. */
  async reconnectToStream(): Promise<null> {
    return null
  }
}

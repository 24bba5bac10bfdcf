// The public surface (index.test.ts pins it).
export { createTandemProvider } from './tandem-provider.ts'
export { TandemLanguageModel } from './language-model.ts'
export { TandemChatTransport } from './chat-transport.ts'

export type { TandemProvider } from './tandem-provider.ts'
export type { TandemProviderOptions } from './call-settings.ts'
export type { TandemChatTransportOptions, TandemMessageMetadata, TandemUIMessage } from './chat-transport.ts'

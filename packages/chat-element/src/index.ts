import { TandemChat } from './tandem-chat.ts'

export { TandemChat } from './tandem-chat.ts'
export { parseMarkdown, renderMarkdown, safeHref } from './markdown.ts'
export type { Block, Inline } from './markdown.ts'
export type { ChatMessageInput } from './chat-message.ts'
export type { ChatTool, ChatToolChoice } from './tools.ts'

/** Registers `<tandem-chat>` once (importing this module does it). */
export function defineTandemChat(name = 'tandem-chat'): void {
  if (!customElements.get(name)) customElements.define(name, name === 'tandem-chat' ? TandemChat : class extends TandemChat {})
}

if (typeof customElements !== 'undefined') defineTandemChat()

import type { ChatRequestInput } from '@tandem/protocol'

/** One message of the conversation, as the SDK takes it. */
export type ChatMessageInput = ChatRequestInput['messages'][number]

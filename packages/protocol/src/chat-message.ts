import { z } from 'zod'
import { toolCallSchema } from './chat-tools.ts'

function describePart(part: unknown): string {
  const type = typeof part === 'object' && part !== null ? (part as { type?: unknown }).type : undefined
  return typeof type === 'string' ? `"${type}" parts are not supported, only text parts` : 'expected a text part'
}

/** OpenAI also has image, audio and file parts; Tandem's models read text only. */
export const textPartSchema = z.discriminatedUnion(
  'type',
  [z.object({ type: z.literal('text'), text: z.string() })],
  // A one-member union on `type`, so a wrong `type` is one issue, not one per missing field.
  { error: (issue) => (issue.code === 'invalid_union' ? describePart(issue.input) : undefined) },
)

export const textContentSchema = z.union([z.string(), z.array(textPartSchema)], {
  error: 'expected a string or an array of text parts',
})

// Only an assistant message can be a prefix; elsewhere `prefix` is an error, not a silent strip.
const noPrefix = z.undefined({ error: 'only an assistant message can be a prefix' }).optional()

const systemMessage = z.object({ role: z.literal('system'), content: textContentSchema, name: z.string().optional(), prefix: noPrefix })
const developerMessage = z.object({ role: z.literal('developer'), content: textContentSchema, name: z.string().optional(), prefix: noPrefix })
const userMessage = z.object({ role: z.literal('user'), content: textContentSchema, name: z.string().optional(), prefix: noPrefix })
const toolMessage = z.object({ role: z.literal('tool'), content: textContentSchema, tool_call_id: z.string().min(1), prefix: noPrefix })

const assistantMessage = z
  .object({
    role: z.literal('assistant'),
    content: textContentSchema.nullish(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    /** Tandem: the model continues this text instead of starting a new turn. Last message only. */
    prefix: z.boolean().optional(),
  })
  .superRefine((message, ctx) => {
    const hasToolCalls = (message.tool_calls?.length ?? 0) > 0
    if (message.content == null && !hasToolCalls) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'an assistant message needs content or tool_calls' })
    }
    if (message.prefix === true && hasToolCalls) {
      ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'a prefix message cannot have tool_calls' })
    }
  })

const roles = ['system', 'developer', 'user', 'assistant', 'tool'] as const

export const chatMessageSchema = z.discriminatedUnion(
  'role',
  [systemMessage, developerMessage, userMessage, assistantMessage, toolMessage],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `expected one of ${roles.map((role) => `"${role}"`).join(', ')}` : undefined,
  },
)

export type TextPart = z.infer<typeof textPartSchema>
export type TextContent = z.infer<typeof textContentSchema>
export type ChatMessage = z.infer<typeof chatMessageSchema>
export type ChatRole = ChatMessage['role']

/** The text of a message's content, parts joined as they are. */
export function contentText(content: TextContent | null | undefined): string {
  if (content == null) return ''
  return typeof content === 'string' ? content : content.map((part) => part.text).join('')
}

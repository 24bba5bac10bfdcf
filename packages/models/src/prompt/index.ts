export { GENERATION_PROMPT, answerTextStart, assistantContent } from './assistant-prefix.ts'
export { chatTurns, offeredTools } from './chat-turns.ts'
export { TEMPLATE_TOKENS_PER_MESSAGE, promptText, renderGrok2Prompt } from './grok2-prompt.ts'
export { ToolCallParser, appendDelta } from './tool-call-parser.ts'
export { TOOL_CALL_CLOSE, TOOL_CALL_OPEN, toolCallText } from './tool-format.ts'

export type { ChatTurnsInput } from './chat-turns.ts'
export type { PromptPart, PromptTurn } from './grok2-prompt.ts'
export type { AnswerDelta } from './tool-call-parser.ts'

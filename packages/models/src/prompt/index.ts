export { GENERATION_PROMPT, answerTextStart, assistantContent } from './assistant-prefix.ts'
export { TEMPLATE_TOKENS_PER_MESSAGE, promptText, renderGrok2Prompt } from './grok2-prompt.ts'

export type { PromptPart, PromptTurn } from './grok2-prompt.ts'

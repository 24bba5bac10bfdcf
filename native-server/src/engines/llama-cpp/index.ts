export { LlamaCppEngine } from './llama-cpp.ts'
export type { GpuOption, LlamaCppOptions } from './llama-cpp.ts'
// How this engine turns messages into prompt tokens; the golden prefix test runs it beside the local route.
export { promptTurns } from './prompt.ts'
export { tokenizePrompt } from './tokenize-prompt.ts'

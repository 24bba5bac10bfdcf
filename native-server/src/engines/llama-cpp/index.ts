export { LlamaCppEngine } from './llama-cpp.ts'
export type { GpuOption, LlamaCppOptions } from './llama-cpp.ts'
// How this engine turns prompt parts into tokens; the golden prefix test runs it beside the local route.
export { tokenizePrompt } from './tokenize-prompt.ts'

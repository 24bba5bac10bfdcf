export { elements, parameterCount, tensorLayout } from './architecture.ts'
export { BITS_PER_WEIGHT, GROK_2, GROK_2_TINY, catalog, findModel, shardFileNames } from './catalog.ts'
export { encodeTensor, fromHalf, tensorBytes, toHalf } from './gguf/encode.ts'
export { splitGguf } from './gguf/split.ts'
export { GgmlType, GgufValueType, array, bool, f32, i32, str, u16, u32, u8 } from './gguf/types.ts'
export { alignUp, writeGguf } from './gguf/writer.ts'
export { describeFile, manifestSchema, sha256Hex, verifyFile } from './manifest.ts'
export { GbnfBuilder, gbnfLiteral, grammarFor, grammarForResponseFormat, grammarForTools, stopsFor } from './grammar/index.ts'
export { DEFINE_WORD_TOOL } from './define-word.ts'
export { estimateMemory } from './memory.ts'
export { FILE_TYPES, decodeGguf, quantizeGguf } from './quantize.ts'
export {
  GENERATION_PROMPT,
  TEMPLATE_TOKENS_PER_MESSAGE,
  TOOL_CALL_CLOSE,
  TOOL_CALL_OPEN,
  ToolCallParser,
  answerTextStart,
  appendDelta,
  assistantContent,
  chatTurns,
  offeredTools,
  promptText,
  renderGrok2Prompt,
  toolCallText,
} from './prompt/index.ts'
export { DEFAULT_RANDOM_SEED, GROK_2_RANDOM_TINY, buildRandomGrok2 } from './random-grok2.ts'
export { TINY_RECIPE_VERSION, buildTinyArtifacts, tinyBuildId } from './tiny-artifacts.ts'
export { GROK_2_CHAT_TEMPLATE, SEPARATOR, bytesToUnicode, tinyVocabulary, tokenByteTable } from './tokenizer.ts'

export type { GrokArchitecture, ParameterCount, TensorShape } from './architecture.ts'
export type { ModelDescriptor, ModelFormat, ModelVariant, Quantization } from './catalog.ts'
export type { GgufFile, GgufTensor, GgufValue } from './gguf/types.ts'
export type { Manifest, ManifestFile } from './manifest.ts'
export type { MemoryEstimate } from './memory.ts'
export type { Artifacts } from './tiny-artifacts.ts'
export type { DecodedGguf, TinyQuantization } from './quantize.ts'
export type { AnswerDelta, ChatTurnsInput, PromptPart, PromptTurn } from './prompt/index.ts'
export type { RandomGrok2Options } from './random-grok2.ts'
export type { ByteLevelVocabulary, GgufTokenizer } from './tokenizer.ts'

export { GbnfBuilder, gbnfLiteral } from './gbnf-builder.ts'
export { grammarForResponseFormat } from './response-format-grammar.ts'
export { grammarFor, grammarForTools, stopsFor } from './tool-call-grammar.ts'

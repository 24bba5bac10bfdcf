export { GbnfBuilder, gbnfLiteral } from './gbnf-builder.ts'
export { grammarForResponseFormat } from './response-format-grammar.ts'
export { grammarForTools } from './tool-call-grammar.ts'

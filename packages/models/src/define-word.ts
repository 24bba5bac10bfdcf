import type { FunctionTool } from '@tandem/protocol'

/**
 * The one tool the trained tiny Grok-2 has learned to call, exactly as its training dialogues offer
 * it: a page that offers these bytes gets the behaviour the training figures report. Its result is
 * the definition as plain text (a WordNet gloss in training), and the answer quotes it.
 */
export const DEFINE_WORD_TOOL: FunctionTool = {
  type: 'function',
  function: {
    name: 'define_word',
    description: 'Look up what an English word means.',
    parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'], additionalProperties: false },
  },
}

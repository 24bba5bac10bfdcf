/** Where Grok-2's template asks the model to answer, and where an assistant prefix is continued. */
export const GENERATION_PROMPT = 'Assistant:'

/**
 * What follows `Assistant:` for assistant text, in history or as a prefix to continue: one space,
 * then the text untouched (the template trims system and user text, never assistant text).
 * llama.cpp appends a continued prefix right after its generation prompt, so the local route
 * sends this as the prefix's content; native-server renders it into the prompt.
 */
export function assistantContent(text: string): string {
  return ` ${text}`
}

/**
 * The text of an answer as it streams out: a new answer loses the one space the model writes after
 * `Assistant:` (the prompt ends without it); a continued prefix keeps every character, since its
 * space is already in the prompt. Failover joins a prefix and its continuation on this rule, so
 * both routes use this one function.
 */
export function answerTextStart(newAnswer: boolean): (text: string) => string {
  let pending = newAnswer
  return function trimAnswerStart(text) {
    if (!pending || text === '') return text
    pending = false
    return text.startsWith(' ') ? text.slice(1) : text
  }
}

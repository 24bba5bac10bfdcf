const identifier = /^[A-Za-z_$][\w$]*$/

/** `['messages', 2, 'content']` → `messages[2].content`; odd keys are quoted: `logit_bias["50256"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (typeof key === 'symbol') out += `[${String(key)}]`
    else if (identifier.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

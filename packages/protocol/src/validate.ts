import type { z } from 'zod'
import { chatRequestSchema, type ChatRequest } from './chat-request.ts'
import type { TandemErrorCode } from './error-codes.ts'
import { TandemError } from './errors.ts'
import { formatPath } from './format-path.ts'
import { plainErrorMap, plainIssue } from './issue-message.ts'

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: TandemError }

/**
 * Parses any input at a boundary (request body, env, options, worker message) and reports
 * the first problem as `path: what is wrong`, with the path in `param`. Never throws.
 * `what` names the input when the problem is the input as a whole.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: TandemErrorCode = 'invalid_request',
): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { error: plainErrorMap })
  if (result.success) return { ok: true, value: result.data }
  const [first, ...rest] = result.error.issues
  if (!first) return { ok: false, error: new TandemError(code, `${what}: invalid`) }
  const { path, message } = plainIssue(first)
  const param = formatPath(path)
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more ${rest.length === 1 ? 'problem' : 'problems'})`
  const error = new TandemError(code, `${param || what}: ${message}${more}`, { param: param || undefined })
  return { ok: false, error }
}

export function parseChatRequest(input: unknown): ParseResult<ChatRequest> {
  return parseWith(chatRequestSchema, input, 'request body')
}

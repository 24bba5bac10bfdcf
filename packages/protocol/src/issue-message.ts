import type { z } from 'zod'

type Issue = z.core.$ZodIssue

const articles: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'a boolean', object: 'an object',
  array: 'an array', null: 'null', undefined: 'undefined', bigint: 'a bigint', symbol: 'a symbol',
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return articles[typeof value] ?? typeof value
}

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${count === 1 || count === 1n ? '' : 's'}`
}

function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint, side: 'least' | 'most'): string {
  switch (issue.origin) {
    case 'array': case 'set': return `expected at ${side} ${plural(limit, 'item')}`
    case 'string': return limit === 1 && side === 'least' ? 'must not be empty' : `expected at ${side} ${plural(limit, 'character')}`
    default: {
      const relation = issue.inclusive === false ? (side === 'least' ? 'greater than' : 'less than') : `at ${side}`
      return `must be ${relation} ${limit}`
    }
  }
}

/**
 * A zod error map in plain words, passed per parse so it never changes zod's global
 * config (other packages use zod too). Messages set on a schema take precedence.
 */
export const plainErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required'
      return `expected ${articles[issue.expected] ?? issue.expected}, got ${kindOf(issue.input)}`
    case 'too_small': return bound(issue, issue.minimum, 'least')
    case 'too_big': return bound(issue, issue.maximum, 'most')
    case 'invalid_value': return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`
    case 'invalid_format': return `expected ${issue.format === 'regex' ? `to match ${issue.pattern ?? 'a pattern'}` : `a valid ${issue.format}`}`
    case 'not_multiple_of': return `must be a multiple of ${issue.divisor}`
    case 'unrecognized_keys': return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`
    case 'invalid_union': return 'does not match any allowed shape'
    default: return undefined
  }
}

export interface PlainIssue {
  path: PropertyKey[]
  message: string
}

// A union branch "matched" when the value had its shape and failed deeper inside it.
function matchedShape(branch: Issue[]): boolean {
  return branch.every((issue) => issue.path.length > 0 || (issue.code !== 'invalid_type' && issue.code !== 'invalid_value'))
}

/**
 * The issue to show a person: for a union whose value fits exactly one branch's shape,
 * that branch's own first issue (so `content[1].type` rather than "no union matched"); for
 * a bad record key, the key's own message.
 */
export function plainIssue(issue: Issue): PlainIssue {
  if (issue.code === 'invalid_union') {
    const matched = issue.errors.filter(matchedShape)
    const inner = matched.length === 1 ? matched[0]?.[0] : undefined
    if (inner) {
      const nested = plainIssue(inner)
      return { path: [...issue.path, ...nested.path], message: nested.message }
    }
  }
  if (issue.code === 'invalid_key' && issue.issues[0]) {
    return { path: issue.path, message: issue.issues[0].message }
  }
  return { path: [...issue.path], message: issue.message }
}

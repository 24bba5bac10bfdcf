import type { JsonSchema, JsonValue, SchemaNode } from '@tandem/protocol'
import { JSON_RULES, rulesUsedBy } from './json-rules.ts'

/** A GBNF string literal that matches `text` exactly. */
export function gbnfLiteral(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`
}

/**
 * Builds one GBNF grammar (llama.cpp's format, read by node-llama-cpp and wllama alike) from JSON
 * schemas of the supported subset. Each schema becomes a rule; `grammar(root)` writes the rules
 * and the JSON pieces they use. Properties come required first, then optional, each in the order
 * given: JSON objects are unordered, and a fixed order keeps the grammar linear.
 */
export class GbnfBuilder {
  readonly #rules = new Map<string, string>()
  readonly #used = new Set<string>()
  #count = 0
  #prefix = ''

  /** A rule for `schema` (its `$defs` become rules of their own); returns the rule's name. */
  schema(schema: JsonSchema): string {
    const prefix = `s${this.#count++}`
    this.#prefix = prefix
    const defs = new Map([...schema.defs.keys()].map((name, index) => [name, `${prefix}-def${index}`]))
    for (const [name, node] of schema.defs) this.#rules.set(defs.get(name)!, this.#expression(node, defs))
    return this.rule(prefix, this.#expression(schema.root, defs))
  }

  /** Any JSON object: what `json_object` asks for. */
  anyObject(): string {
    return this.#json('object')
  }

  /** Adds a rule of the caller's own (its body may name this builder's rules). */
  rule(name: string, body: string): string {
    this.#rules.set(name, body)
    return name
  }

  /** The whole grammar; `root` is an expression, and may start with the answer's leading space. */
  grammar(root: string): string {
    const lines = [`root ::= ${root}`, ...[...this.#rules].map(([name, body]) => `${name} ::= ${body}`)]
    for (const name of rulesUsedBy(this.#used)) lines.push(`${name} ::= ${JSON_RULES[name]}`)
    return lines.join('\n') + '\n'
  }

  #json(name: string): string {
    this.#used.add(name)
    return name
  }

  #expression(node: SchemaNode, defs: ReadonlyMap<string, string>): string {
    switch (node.kind) {
      case 'any': return this.#json('value')
      case 'any-object': return this.#json('object')
      case 'null': case 'boolean': case 'number': case 'integer': return this.#json(node.kind)
      case 'string': {
        if (node.format) return `"\\"" ${this.#json(node.format)} "\\""`
        if (node.minLength === 0 && node.maxLength === undefined) return this.#json('string')
        return `"\\"" ${this.#json('char')}{${node.minLength},${node.maxLength ?? ''}} "\\""`
      }
      case 'enum': return group(node.values.map((value: JsonValue) => gbnfLiteral(JSON.stringify(value))))
      case 'any-of': return group(node.options.map((option) => this.#expression(option, defs)))
      case 'ref': return defs.get(node.name)!
      case 'array': return this.#named(arrayBody(this.#expression(node.items, defs), node.minItems, node.maxItems, this.#json('ws')))
      case 'object': {
        const ws = this.#json('ws')
        const member = (name: string, schema: SchemaNode) => `${gbnfLiteral(JSON.stringify(name))} ":" ${ws} ${this.#expression(schema, defs)}`
        const required = node.properties.filter((p) => p.required).map((p) => member(p.name, p.schema))
        const optional = node.properties.filter((p) => !p.required).map((p) => member(p.name, p.schema))
        const more = (members: string[]) => members.map((m) => `( "," ${ws} ${m} )?`).join(' ')
        let inside: string
        if (required.length > 0) inside = [required.join(` "," ${ws} `), more(optional)].filter(Boolean).join(' ')
        else if (optional.length > 0) inside = `( ${optional.map((m, i) => [m, more(optional.slice(i + 1))].filter(Boolean).join(' ')).join(' | ')} )?`
        else inside = ''
        return this.#named(`"{" ${ws} ${inside} "}"`.replace(/ {2,}/g, ' '))
      }
    }
  }

  #named(body: string): string {
    return this.rule(`${this.#prefix}-${this.#rules.size}`, body)
  }
}

function group(alternatives: string[]): string {
  return alternatives.length === 1 ? alternatives[0]! : `( ${alternatives.join(' | ')} )`
}

function arrayBody(item: string, min: number, max: number | undefined, ws: string): string {
  if (max === 0) return `"[" ${ws} "]"`
  const rest = `( "," ${ws} ${item} )`
  if (min === 0) return `"[" ${ws} ( ${item} ${rest}${max === undefined ? '*' : `{0,${max - 1}}`} )? "]"`
  return `"[" ${ws} ${item} ${rest}{${min - 1},${max === undefined ? '' : max - 1}} "]"`
}

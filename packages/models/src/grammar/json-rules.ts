/**
 * GBNF rules for JSON's own pieces, shared by every grammar. Numbers are bounded (16 digits,
 * 2 exponent digits: always finite) and whitespace is at most one space after punctuation, so even a tiny model
 * cannot wander into digits or blanks forever; strings are JSON strings, escapes included.
 */
export const JSON_RULES: Readonly<Record<string, string>> = {
  ws: '" "?',
  value: 'object | array | string | number | boolean | null',
  object: '"{" ws ( string ":" ws value ( "," ws string ":" ws value )* )? "}"',
  array: '"[" ws ( value ( "," ws value )* )? "]"',
  string: '"\\"" char* "\\""',
  char: '[^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F]{4} )',
  integer: '"-"? ( "0" | [1-9] [0-9]{0,15} )',
  number: 'integer ( "." [0-9]{1,16} )? ( [eE] [-+]? [0-9]{1,2} )?',
  boolean: '"true" | "false"',
  null: '"null"',
  // Formats: only real calendar dates (February stops at 28: always valid, if not every date).
  date: '[0-9]{4} "-" ( month31 "-" day31 | month30 "-" day30 | "02-" day28 )',
  month31: '"0" [13578] | "1" [02]',
  month30: '"0" [469] | "11"',
  day31: '"0" [1-9] | [12] [0-9] | "3" [01]',
  day30: '"0" [1-9] | [12] [0-9] | "30"',
  day28: '"0" [1-9] | "1" [0-9] | "2" [0-8]',
  time: 'hour ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,3} )? ( "Z" | [+-] hour ":" [0-5] [0-9] )',
  hour: '[01] [0-9] | "2" [0-3]',
  'date-time': 'date "T" time',
  uuid: 'hex{8} "-" hex{4} "-" hex{4} "-" hex{4} "-" hex{12}',
  hex: '[0-9a-f]',
}

/** The rules a rule's body names, so that a grammar carries only what it uses. */
export function rulesUsedBy(names: Iterable<string>): string[] {
  const used = new Set<string>()
  const visit = (name: string) => {
    if (used.has(name) || !(name in JSON_RULES)) return
    used.add(name)
    for (const word of JSON_RULES[name]!.replace(/"(\\.|[^"\\])*"|\[(\\.|[^\]\\])*\]/g, ' ').match(/[a-z][a-z0-9-]*/g) ?? []) visit(word)
  }
  for (const name of names) visit(name)
  return [...used]
}

import type { LogLevel } from '../config/index.ts'

export type LogFields = Record<string, string | number | boolean | null | undefined>

/** JSON lines. Callers pass ids, counts and codes: never prompt text, keys or tokens. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 }

export function createJsonLogger(level: LogLevel, write: (line: string) => void = (line) => console.log(line)): Logger {
  function at(lineLevel: Exclude<LogLevel, 'off'>) {
    if (rank[lineLevel] < rank[level]) return () => {}
    return function log(msg: string, fields: LogFields = {}) {
      write(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg, ...fields }))
    }
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

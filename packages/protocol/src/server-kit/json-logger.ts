export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type LogFields = Record<string, unknown>

/** Structured logs: one JSON object per line. Callers pass ids, counts and codes: never prompt text, keys or tokens. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose lines all carry `fields`. */
  child(fields: LogFields): Logger
}

export interface JsonLoggerOptions {
  /** Lines below it are dropped; `off`: all of them. */
  level?: LogLevel | 'off'
  write?: (line: string) => void
  fields?: LogFields
}

const RANK: Record<LogLevel | 'off', number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 }

/** An error as its name, message and code: never its stack or cause, which may carry paths or text. */
function plain(value: unknown): unknown {
  if (!(value instanceof Error)) return value
  const { code, status } = value as { code?: unknown; status?: unknown }
  return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }), ...(status === undefined ? {} : { status }) }
}

/** The servers' one logger (native-server and the gateway), on any runtime: `console.log` by default. */
export function createJsonLogger({ level = 'info', write = (line) => console.log(line), fields = {} }: JsonLoggerOptions = {}): Logger {
  function at(lineLevel: LogLevel) {
    if (RANK[lineLevel] < RANK[level]) return () => {}
    return function log(msg: string, extra: LogFields = {}) {
      const entries = Object.entries({ ...fields, ...extra }).map(([key, value]) => [key, plain(value)])
      write(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg, ...Object.fromEntries(entries) }))
    }
  }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createJsonLogger({ level, write, fields: { ...fields, ...more } }),
  }
}

/** For tests and embedders that want quiet. */
export const silentLogger: Logger = createJsonLogger({ level: 'off' })

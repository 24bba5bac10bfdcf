export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type LogFields = Record<string, unknown>

/** Structured logs: one JSON object per line. Never given prompt or completion text unless asked. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose lines all carry `fields`. */
  child(fields: LogFields): Logger
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

function plain(value: unknown): unknown {
  if (!(value instanceof Error)) return value
  const { code, status } = value as { code?: unknown; status?: unknown }
  return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }), ...(status === undefined ? {} : { status }) }
}

export function createLogger({
  level = 'info',
  write = (line: string) => void process.stdout.write(line + '\n'),
  fields = {},
}: { level?: LogLevel; write?: (line: string) => void; fields?: LogFields } = {}): Logger {
  const log = (at: LogLevel) => (msg: string, extra: LogFields = {}) => {
    if (ORDER[at] < ORDER[level]) return
    const entries = Object.entries({ ...fields, ...extra }).map(([key, value]) => [key, plain(value)])
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...Object.fromEntries(entries) }))
  }
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (more) => createLogger({ level, write, fields: { ...fields, ...more } }),
  }
}

/** For tests and embedders that want quiet. */
export const silentLogger: Logger = createLogger({ write: () => {} })

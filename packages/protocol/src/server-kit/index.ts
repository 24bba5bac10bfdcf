export { RETRY_AFTER_SECONDS, errorResponse } from './error-response.ts'
export { createJsonLogger, silentLogger } from './json-logger.ts'
export { REQUEST_ID_HEADER, requestIdFor } from './request-id.ts'

export type { JsonLoggerOptions, LogFields, LogLevel, Logger } from './json-logger.ts'

/** One server-sent event, as EventSource would dispatch it. */
export interface SseEvent {
  /** `message` unless an `event:` field named it. */
  event: string
  data: string
  /** The last event ID in effect, once any `id:` field set it. */
  id?: string
  /** The reconnection time in ms in effect, once any `retry:` field set it. */
  retry?: number
}

/**
 * Lines to events, per the WHATWG "interpret an event stream" rules: `:` lines are
 * comments; `field: value` loses one leading space; a line without a colon is a field
 * with an empty value; `data` lines join with `\n`; a blank line dispatches; an event
 * with no data is not dispatched; an unfinished event at the end is dropped.
 */
export function eventParser(): (line: string, onEvent: (event: SseEvent) => void) => void {
  let data = ''
  let eventType = ''
  let lastEventId: string | undefined
  let retry: number | undefined

  function dispatch(onEvent: (event: SseEvent) => void): void {
    if (data !== '') {
      const event: SseEvent = { event: eventType || 'message', data: data.slice(0, -1) }
      if (lastEventId !== undefined) event.id = lastEventId
      if (retry !== undefined) event.retry = retry
      onEvent(event)
    }
    data = ''
    eventType = ''
  }

  function processField(field: string, value: string): void {
    switch (field) {
      case 'event': eventType = value; break
      case 'data': data += `${value}\n`; break
      case 'id': if (!value.includes('\0')) lastEventId = value; break
      case 'retry': if (/^\d+$/.test(value)) retry = Number.parseInt(value, 10); break
      default: break // unknown fields are ignored
    }
  }

  return function parse(line, onEvent) {
    if (line === '') return dispatch(onEvent)
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    if (colon === -1) return processField(line, '')
    const value = line.slice(colon + 1)
    processField(line.slice(0, colon), value.startsWith(' ') ? value.slice(1) : value)
  }
}

/** `eventParser` as a stream stage. */
export function createSseEventParser(): TransformStream<string, SseEvent> {
  const parse = eventParser()
  return new TransformStream({
    transform(line, controller) {
      parse(line, (event) => controller.enqueue(event))
    },
  })
}

/// <reference lib="dom" />
/// <reference types="vite/client" />
// The page the element's browser tests open: <tandem-chat> from its package, configured from the
// query string (gateway, key, route, model, models URL), with the real local worker available.
import { renderMarkdown, type TandemChat } from '@tandem/chat-element'
import { startLocalWorker } from '@tandem/local-worker'

const params = new URLSearchParams(location.search)
const chat = document.createElement('tandem-chat') as TandemChat
for (const name of ['gateway', 'publishable-key', 'route', 'model', 'models-url']) {
  const value = params.get(name)
  if (value !== null) chat.setAttribute(name, value)
}
if (params.has('local')) chat.worker = startLocalWorker
chat.style.height = '100%'
document.body.append(chat)

/** What tests read back: renders a string the way the element renders model text. */
;(window as unknown as { renderToHTML(text: string): string }).renderToHTML = (text) => {
  const div = document.createElement('div')
  div.append(renderMarkdown(text))
  return div.innerHTML
}
document.title = 'ready'

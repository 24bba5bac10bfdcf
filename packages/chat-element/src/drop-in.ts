// The drop-in script, built to dist/tandem-chat.js: `<script type="module" src="…/tandem-chat.js">` and the page has
// <tandem-chat>, no bundler. The local route's worker (and the wasm it loads) sit beside the script and are found from
// its URL; the worker starts only when an element with a `models-url` takes the local route.
import { defineTandemChat, TandemChat } from './index.ts'

TandemChat.bundledWorker = startBundledWorker
defineTandemChat()

function startBundledWorker(): Worker {
  const url = new URL('./tandem-worker.js', import.meta.url)
  const options: WorkerOptions = { type: 'module', name: 'tandem-local' }
  if (url.origin === location.origin) return new Worker(url, options)
  // Browsers start workers only from the page's own origin. A one-line module of the page's origin imports the worker
  // from the script's host (served with CORS), and there `import.meta.url` still finds its chunks and wasm.
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)}`], { type: 'text/javascript' }))
  return new Worker(shim, options)
}

// The drop-in script, built to dist/tandem-chat.js: `<script type="module" src="…/tandem-chat.js">` and the page has
// <tandem-chat>, no bundler. The local route's worker (and the wasm it loads) sit beside the script and are found from
// its URL; the worker starts only when an element with a `models-url` takes the local route.
import { defineTandemChat, TandemChat } from './index.ts'

TandemChat.bundledWorker = () => new Worker(new URL('./tandem-worker.js', import.meta.url), { type: 'module', name: 'tandem-local' })
defineTandemChat()

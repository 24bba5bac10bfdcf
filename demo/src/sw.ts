/// <reference lib="webworker" />
// The demo's service worker: precaches the app shell (the page, its assets, manifest and icon) so the
// app installs and reopens offline. Hashed assets (the local worker script among them) are cached as
// they are first fetched. Model shards are not its business: the local worker keeps them in OPFS and
// wllama's wasm in Cache Storage, so with the model cached, chat keeps working offline.
declare const self: ServiceWorkerGlobalScope
export {}

const CACHE = 'tandem-demo-shell-v1'
const SHELL = ['/', '/manifest.webmanifest', '/icon.svg']

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      await cache.addAll(SHELL)
      // The stack's settings, where a server provides them (npm start does).
      await cache.add('/tandem.json').catch(() => {})
      // The page's own scripts and styles, read off the page itself.
      const html = await (await cache.match('/'))!.text()
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)
      await cache.addAll([...new Set(assets)])
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('tandem-demo-shell-') && name !== CACHE) await caches.delete(name)
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/models/')) return
  if (event.request.mode === 'navigate') event.respondWith(networkFirst(new Request('/')))
  else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(event.request))
  else event.respondWith(networkFirst(event.request))
})

/** Fresh when online (so a new deployment shows), the cached copy when not. */
async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(request, response.clone())
    return response
  } catch (error) {
    const cached = await cache.match(request)
    if (cached) return cached
    throw error
  }
}

/** Hashed files never change: the cache answers, the network fills it. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

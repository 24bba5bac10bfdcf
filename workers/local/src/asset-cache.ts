const CACHE = 'tandem-runtime'

/**
 * A URL for a runtime asset (wllama's wasm) that works offline: the first load stores it in
 * Cache Storage, keyed by its URL and the library version, and later loads read it from there.
 * The HTTP cache alone may have evicted a 10 MB file by the time the network is gone.
 */
export async function cachedAssetUrl(url: string, version: string): Promise<string> {
  const key = new URL(url, self.location.href)
  key.searchParams.set('tandem-version', version)
  let cache: Cache | undefined
  try {
    cache = await caches.open(CACHE)
  } catch {
    return url // Cache Storage unavailable (opaque origin, private mode): the network or HTTP cache must do
  }
  const stored = await cache.match(key)
  if (stored) return URL.createObjectURL(await stored.blob())
  const response = await fetch(url)
  if (!response.ok) return url // let the engine report the failure in its own words
  const blob = await response.blob()
  await cache.put(key, new Response(blob, { headers: { 'content-type': response.headers.get('content-type') ?? 'application/wasm' } })).catch(() => {})
  return URL.createObjectURL(blob)
}

import { TandemError } from '@tandem/protocol'

/**
 * Fails with a clear `quota` error before a download that the browser's storage grant cannot
 * hold, instead of filling the disk halfway. Browsers that do not estimate pass.
 */
export async function checkQuota(neededBytes: number, what: string): Promise<void> {
  if (neededBytes <= 0) return
  const estimate = await navigator.storage.estimate?.().catch(() => undefined)
  if (!estimate?.quota) return
  const free = estimate.quota - (estimate.usage ?? 0)
  if (neededBytes > free) {
    throw new TandemError('quota', `${what} needs ${megabytes(neededBytes)} more storage; the browser grants ${megabytes(Math.max(0, free))} to this site`, { param: 'variant' })
  }
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

import { TandemError, codeForStatus } from '@tandem/protocol'
import { engineError } from '../engine-errors.ts'

/** Where a shard's bytes go: OPFS's FileSystemSyncAccessHandle has exactly these. */
export interface ShardTarget {
  getSize(): number
  write(data: Uint8Array, options: { at: number }): number
  truncate(size: number): void
  flush(): void
}

export interface DownloadShardOptions {
  url: string
  bytes: number
  target: ShardTarget
  /** The shard's position after every write (it may go back to 0). */
  onPosition(position: number): void
  signal?: AbortSignal
  /** Tries in all, each resuming where the last stopped. */
  attempts?: number
  retryDelayMs?: number
}

/**
 * Fills `target` up to `bytes` from `url`, resuming from whatever is already there with an HTTP
 * Range request — after a cut connection within this call, or a download a closed tab left
 * behind. A server that ignores Range (200) restarts the file; one whose Content-Range starts
 * elsewhere is not trusted. Checking the bytes is the caller's job (SHA-256 after the last byte).
 */
export async function downloadShard({ url, bytes, target, onPosition, signal, attempts = 4, retryDelayMs = 250 }: DownloadShardOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let position = target.getSize()
    if (position > bytes) {
      target.truncate(0)
      position = 0
    }
    if (position === bytes) return
    try {
      const response = await fetch(url, { headers: position > 0 ? { range: `bytes=${position}-` } : {}, cache: 'no-store', signal })
      if (response.status === 206 && rangeStart(response.headers.get('content-range')) !== position) {
        await response.body?.cancel()
        target.truncate(0)
        throw new TandemError('upstream_error', `${url} answered a Range request with another range`)
      }
      if (response.status === 416) {
        await response.body?.cancel()
        target.truncate(0)
        throw new TandemError('upstream_error', `${url} refused to resume at byte ${position}`)
      }
      if (!response.ok) throw new TandemError(codeForStatus(response.status), `${url}: the server answered ${response.status}`, { status: response.status })
      if (response.status === 200 && position > 0) {
        target.truncate(0)
        position = 0
        onPosition(0)
      }
      if (!response.body) throw new TandemError('upstream_error', `${url}: the server answered without a body`)
      const reader = response.body.getReader()
      let unflushed = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (position + value.byteLength > bytes) {
          await reader.cancel()
          target.truncate(0)
          throw new TandemError('upstream_error', `${url} is larger than the ${bytes} bytes its manifest says`, { isRetryable: false })
        }
        target.write(value, { at: position })
        position += value.byteLength
        unflushed += value.byteLength
        // Flushed as it goes: a tab closed mid-download leaves bytes the next load resumes from.
        if (unflushed >= FLUSH_BYTES) {
          target.flush()
          unflushed = 0
        }
        onPosition(position)
      }
      target.flush()
      if (position === bytes) return
      throw new TandemError('network', `${url}: the connection ended at byte ${position} of ${bytes}`)
    } catch (failure) {
      try {
        target.flush() // keep what arrived: the next try (or the next load) resumes from it
      } catch {
        // a storage that refused the write may refuse the flush too: the write's failure is the one to report
      }
      const error = engineError('download', failure, 'network')
      if (signal?.aborted || !error.isRetryable || attempt >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt))
    }
  }
}

const FLUSH_BYTES = 256 * 1024

function rangeStart(contentRange: string | null): number | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(contentRange?.trim() ?? '')
  return match ? Number(match[1]) : undefined
}

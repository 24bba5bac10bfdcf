import { mlcRecordSchema } from '@tandem/protocol'
import { z } from 'zod'

const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', `expected ${what}`)

export const ROUTE_MODES = ['prefer-local', 'local-only', 'prefer-remote', 'remote-only'] as const
export type RouteMode = (typeof ROUTE_MODES)[number]

const baseURL = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://edge.example.com/v1' })

export const tandemOptionsSchema = z.object({
  /** A catalog model id (`grok-2`, `grok-2-tiny`) or any model the gateway serves. */
  model: z.string().min(1).default('grok-2-tiny'),
  remote: z
    .union([
      z.object({ baseURL, apiKey: z.string().min(1) }),
      z.object({ baseURL, getToken: fn<(options: { refresh: boolean }) => string | Promise<string>>('a function returning a token') }),
    ], { error: 'expected { baseURL, apiKey } or { baseURL, getToken }' })
    .optional(),
  local: z
    .object({
      /** Starts the runtime's worker: `startLocalWorker` from `@tandem/local-worker`. */
      worker: fn<() => Worker>('a function returning a Worker'),
      /** Where `<model>.manifest.json` and its shards are served; defaults to `/models/` on this page's origin. */
      modelsURL: z.string().min(1).optional(),
      /** wasm threads; defaults to half the logical cores (one per physical core) when the page is cross-origin isolated, else 1. */
      threads: z.number().int().positive().max(64).optional(),
      /** MLC builds to run on web-llm (WebGPU) instead of the catalog's GGUF shards, by model id. */
      mlc: z.record(z.string(), mlcRecordSchema).optional(),
      /**
       * Below this decode speed, as measured by earlier local answers on this device (kept in
       * IndexedDB per model, variant and backend), `prefer-local` takes the remote route.
       */
      minLocalTokensPerSecond: z.number().positive().optional(),
      /**
       * A watchdog on loading the model (download, verify, load): a request whose local load takes
       * longer goes to the remote route instead, and the model keeps loading for the next request.
       * Only where a remote route can take over (not `local-only`, not offline).
       */
      localTimeoutMs: z.number().positive().optional(),
    })
    .optional(),
  route: z.enum(ROUTE_MODES).default('prefer-local'),
  /** Context the planner sizes memory for. */
  contextLength: z.number().int().positive().default(4096),
  maxRetries: z.number().int().min(0).max(5).default(2),
  fetch: fn<typeof fetch>('a fetch function').optional(),
})

export type TandemOptions = z.input<typeof tandemOptionsSchema>
export type ResolvedOptions = z.output<typeof tandemOptionsSchema>

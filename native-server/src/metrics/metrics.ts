import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Engine } from '../engines/index.ts'

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const RATES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]

export type CancelReason = 'client' | 'shutdown'

/**
 * Everything `/metrics` reports, in a registry of this server's own (several servers may share a
 * process): the server's metrics, the engine's read when scraped, and the process's (CPU, memory,
 * event-loop delay, GC) as prom-client collects them.
 */
export function createServerMetrics(engine: Pick<Engine, 'stats'>) {
  const registry = new Registry()
  const registers = [registry]
  collectDefaultMetrics({ register: registry })
  const requests = new Counter({ name: 'tandem_requests_total', help: 'Chat completion requests by HTTP status.', labelNames: ['status'], registers })
  const promptTokens = new Counter({ name: 'tandem_prompt_tokens_total', help: 'Prompt tokens of completed and cancelled requests.', registers })
  const completionTokens = new Counter({ name: 'tandem_completion_tokens_total', help: 'Generated tokens.', registers })
  const cancellations = new Counter({
    name: 'tandem_cancellations_total',
    help: 'Generations stopped before they finished: the client went away, or the server shut down.',
    labelNames: ['reason'],
    registers,
  })
  const timeToFirstToken = new Histogram({ name: 'tandem_time_to_first_token_seconds', help: 'From request to first generated text.', buckets: SECONDS, registers })
  const tokensPerSecond = new Histogram({ name: 'tandem_tokens_per_second', help: 'Decode speed of each request after its first token.', buckets: RATES, registers })
  const reading = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read())
      },
    })
  reading('tandem_queue_depth', 'Requests waiting for a slot.', () => engine.stats().queued)
  reading('tandem_active_sequences', 'Requests generating now.', () => engine.stats().active)
  reading('tandem_ready', '1 when the engine can serve.', () => (engine.stats().ready ? 1 : 0))
  // Counts the engine keeps itself, exposed as counters: each scrape reports the engine's total.
  const total = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset()
        this.inc(read())
      },
    })
  total('tandem_decode_steps_total', 'Decode steps of the llama-cpp engine (all generating sequences at once).', () => engine.stats().decodeSteps ?? 0)
  total('tandem_decode_step_sequences_total', 'Sequences decoded in those steps: divided by the steps, the mean batch.', () => engine.stats().decodeStepSequences ?? 0)
  return {
    requests,
    promptTokens,
    completionTokens,
    cancellations,
    timeToFirstToken,
    tokensPerSecond,
    contentType: registry.contentType,
    render: () => registry.metrics(),
  }
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>

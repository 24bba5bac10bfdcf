import type { Engine } from '../engines/index.ts'
import { Counter, CounterReading, Gauge, Histogram, renderMetrics } from './prometheus.ts'

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const RATES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]

export type CancelReason = 'client' | 'shutdown'

/** Everything `/metrics` reports. Queue depth and active sequences are read from the engine when scraped. */
export function createServerMetrics(engine: Pick<Engine, 'stats'>) {
  const requests = new Counter('tandem_requests_total', 'Chat completion requests by HTTP status.')
  const promptTokens = new Counter('tandem_prompt_tokens_total', 'Prompt tokens of completed and cancelled requests.')
  const completionTokens = new Counter('tandem_completion_tokens_total', 'Generated tokens.')
  const cancellations = new Counter('tandem_cancellations_total', 'Generations stopped before they finished: the client went away, or the server shut down.')
  const timeToFirstToken = new Histogram('tandem_time_to_first_token_seconds', 'From request to first generated text.', SECONDS)
  const tokensPerSecond = new Histogram('tandem_tokens_per_second', 'Decode speed of each request after its first token.', RATES)
  const all = [
    requests,
    new Gauge('tandem_queue_depth', 'Requests waiting for a slot.', () => engine.stats().queued),
    new Gauge('tandem_active_sequences', 'Requests generating now.', () => engine.stats().active),
    new Gauge('tandem_ready', '1 when the engine can serve.', () => (engine.stats().ready ? 1 : 0)),
    promptTokens,
    completionTokens,
    timeToFirstToken,
    tokensPerSecond,
    cancellations,
    new CounterReading('tandem_decode_steps_total', 'Decode steps of the llama-cpp engine (all generating sequences at once).', () => engine.stats().decodeSteps ?? 0),
    new CounterReading(
      'tandem_decode_step_sequences_total',
      'Sequences decoded in those steps: divided by the steps, the mean batch.',
      () => engine.stats().decodeStepSequences ?? 0,
    ),
  ]
  return { requests, promptTokens, completionTokens, cancellations, timeToFirstToken, tokensPerSecond, render: () => renderMetrics(all) }
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>

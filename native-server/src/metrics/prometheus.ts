// Prometheus text exposition format 0.0.4: counters, gauges and histograms with labels.
// Small on purpose: the server needs a dozen metrics, not a client library.

export type Labels = Record<string, string>

interface Metric {
  render(): string
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels)
  if (pairs.length === 0) return ''
  const escape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')
  return `{${pairs.map(([key, value]) => `${key}="${escape(value)}"`).join(',')}}`
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return Number.isNaN(value) ? 'NaN' : String(value)
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}\n# TYPE ${name} ${type}\n`
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))

export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>()
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new RangeError(`${this.name}: a counter only goes up`)
    const key = keyOf(labels)
    const entry = this.values.get(key) ?? { labels, value: 0 }
    entry.value += by
    this.values.set(key, entry)
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0
  }

  render(): string {
    // A counter with no labels reads 0 before its first event, so rates start from a sample.
    const entries = this.values.size === 0 ? [{ labels: {}, value: 0 }] : [...this.values.values()]
    return header(this.name, this.help, 'counter') + entries.map((e) => `${this.name}${labelText(e.labels)} ${formatNumber(e.value)}\n`).join('')
  }
}

/** A gauge read when scraped, so it can never disagree with the state it reports. */
export class Gauge implements Metric {
  constructor(readonly name: string, readonly help: string, private readonly read: () => number | Array<[Labels, number]>) {}

  render(): string {
    const value = this.read()
    const samples = typeof value === 'number' ? [[{}, value] as [Labels, number]] : value
    return header(this.name, this.help, 'gauge') + samples.map(([labels, v]) => `${this.name}${labelText(labels)} ${formatNumber(v)}\n`).join('')
  }
}

/** A counter kept elsewhere (by an engine), read when scraped. */
export class CounterReading implements Metric {
  constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}

  render(): string {
    return header(this.name, this.help, 'counter') + `${this.name} ${formatNumber(this.read())}\n`
  }
}

export class Histogram implements Metric {
  private readonly counts: number[]
  private sum = 0
  private count = 0

  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {
    if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!)) throw new RangeError(`${name}: buckets must increase`)
    this.counts = buckets.map(() => 0)
  }

  observe(value: number): void {
    this.sum += value
    this.count++
    const index = this.buckets.findIndex((bound) => value <= bound)
    if (index >= 0) this.counts[index]!++
  }

  get observations(): number {
    return this.count
  }

  render(): string {
    let cumulative = 0
    const lines = this.buckets.map((bound, i) => {
      cumulative += this.counts[i]!
      return `${this.name}_bucket{le="${formatNumber(bound)}"} ${cumulative}\n`
    })
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}\n`, `${this.name}_sum ${formatNumber(this.sum)}\n`, `${this.name}_count ${this.count}\n`)
    return header(this.name, this.help, 'histogram') + lines.join('')
  }
}

export function renderMetrics(metrics: readonly Metric[]): string {
  return metrics.map((metric) => metric.render()).join('')
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

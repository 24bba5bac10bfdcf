export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * `values` against `base`, where round i of each ran back to back: the median of the rounds' ratios,
 * which cancels the machine's slow drifts better than a ratio of medians.
 */
export function pairedRatio(values: number[], base: number[]): number {
  return median(values.map((value, round) => value / base[round]!))
}

/** Half the interquartile range: robust to the odd slow run these shared machines produce. */
export function spread(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return (at(0.75) - at(0.25)) / 2
}

export function table(rows: Array<Record<string, string | number>>): string {
  const headers = Object.keys(rows[0] ?? {})
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map((row) => line(headers.map((h) => row[h]!)))].join('\n')
}

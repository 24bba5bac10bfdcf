// The cached start as a stacked bar of its steps, beside the floor and the cold start over 50 Mbit/s:
// an SVG the local bench writes into bench/results, so the committed figures can be seen at a glance.

export interface StartBars {
  model: string
  /** Median ms per step of the cached start, in the order they happen. */
  steps: Record<string, number>
  cached: number
  floor: number
  coldLink: number
}

const COLORS = ['#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#ff7f0e', '#9467bd', '#d62728', '#2ca02c', '#1f77b4', '#c7c7c7']
const WIDTH = 960
const LABEL = 250
const BAR = 22
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** One block per model: three bars (cached, stacked by step; floor; cold over 50 Mbit/s) on one ms scale, and a legend of the steps. */
export function startChartSvg(models: readonly StartBars[]): string {
  const names = Object.keys(models[0]?.steps ?? {})
  const scale = Math.max(...models.flatMap((m) => [m.cached, m.floor, m.coldLink, sum(positive(m.steps))]))
  const px = (ms: number) => (ms / scale) * (WIDTH - LABEL - 80)
  const parts: string[] = []
  let y = 30
  for (const m of models) {
    parts.push(`<text x="10" y="${y}" font-weight="600">${escape(m.model)}</text>`)
    y += 10
    // Steps below zero (overlaps) have no length to draw.
    let x = LABEL
    const segments = names.map((name, i) => {
      const width = px(Math.max(0, m.steps[name]!))
      const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${COLORS[i % COLORS.length]}"><title>${escape(name)}: ${m.steps[name]!.toFixed(0)} ms</title></rect>`
      x += width
      return rect
    })
    parts.push(row(y, 'cached (returning visit)', m.cached), ...segments, value(x, y, m.cached))
    y += BAR + 8
    parts.push(row(y, 'floor (wllama, bytes in memory)', m.floor), bar(y, px(m.floor), '#555'), value(LABEL + px(m.floor), y, m.floor))
    y += BAR + 8
    parts.push(row(y, 'cold over 50 Mbit/s', m.coldLink), bar(y, px(m.coldLink), '#aaa'), value(LABEL + px(m.coldLink), y, m.coldLink))
    y += BAR + 30
  }
  const legend = names.map((name, i) => {
    const lx = 10 + (i % 4) * 235
    const ly = y + Math.floor(i / 4) * 18
    return `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/><text x="${lx + 16}" y="${ly}">${escape(name)}</text>`
  })
  const height = y + Math.ceil(names.length / 4) * 18 + 10
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    ...legend,
    '</svg>',
    '',
  ].join('\n')
}

const row = (y: number, label: string, _ms: number) => `<text x="10" y="${y + BAR / 2 + 4}">${escape(label)}</text>`
const bar = (y: number, width: number, fill: string) => `<rect x="${LABEL}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${fill}"/>`
const value = (x: number, y: number, ms: number) => `<text x="${(x + 6).toFixed(1)}" y="${y + BAR / 2 + 4}">${ms.toFixed(0)} ms</text>`
const positive = (steps: Record<string, number>) => Object.values(steps).map((ms) => Math.max(0, ms))
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

// Every ratio a benchmark printed, as bars around 1.0, rendered to PNG by the Chromium the tests already drive.
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

type Row = Record<string, string | number>

export interface BenchResult {
  name: string
  /** One table, or several by name. */
  rows: Row[] | Record<string, Row[]>
}

const CHROMIUM = '/usr/bin/chromium'
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** One block per benchmark: for each column whose name says "vs", a bar per row, with 1.0 marked. */
export function chartHtml(results: readonly BenchResult[], title: string): string {
  const blocks = results.map((result) => {
    const tables = Array.isArray(result.rows) ? [result.rows] : Object.values(result.rows)
    const bars = tables.flatMap((rows) => ratioBars(rows))
    return `<section><h2>${escape(result.name)}</h2>${bars.join('') || '<p class="none">no ratio columns</p>'}</section>`
  })
  return `<!doctype html><meta charset="utf-8"><style>
    body { font: 13px system-ui, sans-serif; margin: 24px; width: 900px; color: #1b1f24 }
    h1 { font-size: 18px } h2 { font-size: 14px; margin: 18px 0 4px } h3 { font-size: 12px; color: #57606a; margin: 6px 0 2px; font-weight: 500 }
    .row { display: grid; grid-template-columns: 330px 1fr 48px; align-items: center; gap: 8px; height: 18px }
    .label { overflow: hidden; white-space: nowrap; text-overflow: ellipsis }
    .track { position: relative; height: 12px; background: #f0f2f4 }
    .bar { position: absolute; left: 0; top: 0; bottom: 0; background: #2f81f7 }
    .one { position: absolute; top: -3px; bottom: -3px; width: 1px; background: #1b1f24; z-index: 1 }
    .value { text-align: right; font-variant-numeric: tabular-nums }
  </style><h1>${escape(title)}</h1><p>Ratios measured side by side in one run; the line marks 1.0.</p>${blocks.join('')}`
}

function ratioBars(rows: Row[]): string[] {
  const columns = Object.keys(rows[0] ?? {})
  const ratios = columns.filter((column) => /\bvs\b/.test(column))
  // Rows are named by the columns before the first measurement (model, way, runtime, threads…).
  const measured = columns.findIndex((column) => /\bvs\b|ms\b|\/s\b|\bMB\b/.test(column))
  const names = columns.slice(0, Math.max(1, measured))
  const label = (row: Row) => names.map((column) => row[column]).join(' · ')
  const values = ratios.flatMap((column) => rows.map((row) => Number.parseFloat(String(row[column]))))
  const scale = Math.max(2, ...values.filter(Number.isFinite))
  return ratios.map((column) => {
    const bars = rows.map((row) => {
      const value = Number.parseFloat(String(row[column]))
      if (!Number.isFinite(value)) return ''
      return `<div class="row"><span class="label">${escape(String(label(row)))}</span><span class="track"><span class="one" style="left:${100 / scale}%"></span><span class="bar" style="width:${(value / scale) * 100}%"></span></span><span class="value">${value.toFixed(2)}</span></div>`
    })
    return `<h3>${escape(column)}</h3>${bars.join('')}`
  })
}

/** Renders the chart to `path`; says why and returns false where there is no Chromium to render with. */
export async function writeChartPng(html: string, path: string): Promise<boolean> {
  if (!existsSync(CHROMIUM)) {
    console.log(`no chart: ${CHROMIUM} is missing (npm test installs it)`)
    return false
  }
  // launch() gives the browser a fresh, throwaway profile of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 950, height: 600 } })
    await page.setContent(html)
    await page.screenshot({ path, fullPage: true })
    return true
  } finally {
    await browser.close()
  }
}

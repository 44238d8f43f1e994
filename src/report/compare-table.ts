import Table from 'cli-table3'
import { stringify } from 'csv-stringify/sync'
import { formatChange, type ComparedCell, type ComparisonTable, type Verdict } from '../baseline/compare.js'
import type { Metric } from '../baseline/metrics.js'

const ansi: Record<Verdict, [string, string]> = {
  better: ['\u001b[32m', '\u001b[39m'],
  worse: ['\u001b[31m', '\u001b[39m'],
  same: ['', ''],
  unknown: ['', ''],
}

function value(metric: Metric, v: number | null): string {
  return v === null ? '-' : v.toFixed(metric.digits)
}

function cellText(metric: Metric, cell: ComparedCell, colour: boolean): string {
  const text = value(metric, cell.value)
  if (cell.change === null) return text
  const note = cell.verdict === 'same' ? `(${formatChange(cell.change)})` : `(${formatChange(cell.change)} ${cell.verdict})`
  const [on, off] = colour ? ansi[cell.verdict] : ['', '']
  return `${text} ${on}${note}${off}`
}

function heading(metric: Metric, file: string): string {
  return `${metric.name}${metric.unit ? ` ${metric.unit}` : ''}\n${file}`
}

function terminalTable(t: ComparisonTable, colour: boolean): string {
  const head = ['transport', ...t.metrics.flatMap((m) => t.files.map((f) => heading(m, f)))]
  const table = new Table({ head, style: { head: [], border: [] } })
  for (const row of t.rows) {
    table.push([row.transport, ...row.cells.flatMap((cells, i) => cells.map((c) => cellText(t.metrics[i]!, c, colour)))])
  }
  return `${t.group}\n${table.toString()}`
}

function markdownTable(t: ComparisonTable): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|')
  const head = ['transport', ...t.metrics.flatMap((m) => t.files.map((f) => `${m.name}${m.unit ? ` ${m.unit}` : ''} · ${escape(f)}`))]
  const lines = [`### ${t.group}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`]
  for (const row of t.rows) {
    const cells = row.cells.flatMap((cells, i) => cells.map((c) => cellText(t.metrics[i]!, c, false)))
    lines.push(`| ${[escape(row.transport), ...cells].join(' | ')} |`)
  }
  return lines.join('\n')
}

/** Tidy CSV: one line per group, transport, metric and file, for scripts and spreadsheets. */
export function compareCsv(tables: readonly ComparisonTable[]): string {
  const rows: (string | number)[][] = [['group', 'transport', 'metric', 'file', 'value', 'change_pct', 'verdict']]
  for (const t of tables) {
    for (const row of t.rows) {
      row.cells.forEach((cells, i) => {
        cells.forEach((c, j) => {
          const changePct = c.change === null ? '' : Number.isFinite(c.change) ? c.change * 100 : c.change > 0 ? 'inf' : '-inf'
          rows.push([t.group, row.transport, t.metrics[i]!.name, t.files[j]!, c.value ?? '', changePct, c.verdict])
        })
      })
    }
  }
  return stringify(rows)
}

/** One terminal table per metric group; colour only when asked (the caller knows whether stdout is a terminal). */
export function compareTable(tables: readonly ComparisonTable[], colour: boolean): string {
  return `${tables.map((t) => terminalTable(t, colour)).join('\n\n')}\n`
}

/** One Markdown table per metric group, for a pull request. */
export function compareMarkdown(tables: readonly ComparisonTable[]): string {
  return `${tables.map(markdownTable).join('\n\n')}\n`
}

import { stringify } from 'csv-stringify/sync'
import { styleText } from 'node:util'
import { formatChange, type ComparedCell, type CompareReport, type ComparisonTable, type Verdict } from '../baseline/compare.js'
import type { Metric } from '../baseline/metrics.js'
import { columns, displayWidth, terminalWidth, wrap } from './text.js'

type Style = Parameters<typeof styleText>[0]

/** Compare keeps under the terminal width: 99 columns at most. */
const width = terminalWidth - 1
const styles: Record<Verdict, Style | undefined> = { better: 'green', worse: 'red', same: undefined, unknown: undefined }

function value(metric: Metric, v: number | null): string {
  return v === null ? '-' : v.toFixed(metric.digits)
}

/** `+20.0% worse`, `-5.0% better`, `+0.8% noise` (inside the noise band), `=` (equal at the digits shown). */
function note(cell: ComparedCell): string {
  if (cell.change === null) return ''
  if (cell.verdict === 'same') return cell.noise === undefined ? '=' : `${formatChange(cell.change)} noise`
  return `${formatChange(cell.change)} ${cell.verdict}`
}

/** Colour by verdict when asked: the caller knows whether stdout takes colour (NO_COLOR, FORCE_COLOR, a terminal). */
function paint(text: string, verdict: Verdict, colour: boolean): string {
  const style = styles[verdict]
  return colour && style !== undefined && text !== '' ? styleText(style, text, { validateStream: false }) : text
}

/** The cells of one column (a file, or a transport) with their values aligned: `  60.000 +20.0% worse`. */
function aligned(metric: Metric, cells: readonly (ComparedCell | undefined)[], colour: boolean): string[] {
  const values = cells.map((c) => (c === undefined ? '-' : value(metric, c.value)))
  const width = Math.max(...values.map(displayWidth))
  return cells.map((c, i) => {
    const text = note(c ?? { value: null, change: null, verdict: 'unknown' })
    return `${values[i]!.padStart(width)}${text === '' ? '' : ` ${paint(text, c!.verdict, colour)}`}`
  })
}

/** Width of a rendered table, colour codes aside. */
function widthOf(text: string): number {
  // eslint-disable-next-line no-control-regex
  return Math.max(...text.split('\n').map((line) => Buffer.byteLength(line.replace(/\u001b\[\d+m/g, ''))))
}

/** One metric, transports as rows and files as columns, or (when that is wider) files as rows: whichever is narrower. */
function metricTable(t: ComparisonTable, m: number, colour: boolean): string {
  const metric = t.metrics[m]!
  const byFile = t.files.map((_, f) =>
    aligned(
      metric,
      t.rows.map((r) => r.cells[m]![f]),
      colour,
    ),
  )
  const byTransport = t.rows.map((r) => aligned(metric, r.cells[m]!, colour))
  const transportsAsRows = columns(
    [metric.label, ...t.files],
    t.rows.map((r, i) => [r.transport, ...byFile.map((column) => column[i]!)]),
    ['left', ...t.files.map(() => 'left' as const)],
  )
  if (widthOf(transportsAsRows) <= width) return transportsAsRows
  const filesAsRows = columns(
    [metric.label, ...t.rows.map((r) => r.transport)],
    t.files.map((file, f) => [file, ...byTransport.map((column) => column[f]!)]),
    ['left', ...t.rows.map(() => 'left' as const)],
  )
  return widthOf(filesAsRows) < widthOf(transportsAsRows) ? filesAsRows : transportsAsRows
}

function terminalTables(t: ComparisonTable, colour: boolean): string {
  return [t.group, ...t.metrics.map((_, m) => metricTable(t, m, colour))].join('\n\n')
}

function heading(metric: Metric, file: string): string {
  return `${metric.name}${metric.unit ? ` ${metric.unit}` : ''} · ${file}`
}

function cellText(metric: Metric, cell: ComparedCell): string {
  const text = value(metric, cell.value)
  const n = note(cell)
  return n === '' ? text : `${text} (${n})`
}

function markdownTable(t: ComparisonTable): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|')
  const head = ['transport', ...t.metrics.flatMap((m) => t.files.map((f) => escape(heading(m, f))))]
  const lines = [`### ${t.group}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`]
  for (const row of t.rows) {
    const cells = row.cells.flatMap((cells, i) => cells.map((c) => cellText(t.metrics[i]!, c)))
    lines.push(`| ${[escape(row.transport), ...cells].join(' | ')} |`)
  }
  return lines.join('\n')
}

/** Tidy CSV: one line per group, transport, metric and file, for scripts and spreadsheets. */
export function compareCsv(report: CompareReport): string {
  const rows: (string | number)[][] = [['group', 'transport', 'metric', 'file', 'value', 'change_pct', 'verdict']]
  for (const t of report.tables) {
    for (const row of t.rows) {
      row.cells.forEach((cells, i) => {
        cells.forEach((c, j) => {
          const changePct =
            c.change === null ? '' : Number.isFinite(c.change) ? Number((c.change * 100).toFixed(2)) : c.change > 0 ? 'inf' : '-inf'
          rows.push([t.group, row.transport, t.metrics[i]!.name, t.files[j]!, c.value ?? '', changePct, c.verdict])
        })
      })
    }
  }
  return stringify(rows)
}

/**
 * One narrow terminal table per metric under its group's name, after the notes (settings that
 * differ, how noise is judged); colour only when asked.
 */
export function compareTable(report: CompareReport, colour: boolean): string {
  const notes = report.notes.map((n) => wrap(n, width))
  return `${[...(notes.length > 0 ? [notes.join('\n')] : []), ...report.tables.map((t) => terminalTables(t, colour)), wrap(noiseNote, width)].join('\n\n')}\n`
}

const noiseNote =
  'Changes are against the first file. "noise": inside the noise band, so unchanged: the --repeat min–max where ' +
  'a file has one, else a percentile’s 95% interval from a JSON file’s histogram (sampling only). "=": equal at the digits shown.'

/** One Markdown table per metric group, for a pull request; the notes above them. */
export function compareMarkdown(report: CompareReport): string {
  return `${[...report.notes, ...report.tables.map(markdownTable)].join('\n\n')}\n`
}

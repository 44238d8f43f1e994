import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { csvColumns, csvHeader } from '../results/columns.js'
import type { RunReport } from '../results/report.js'

/** Empty for unknown (null, NaN); numbers in full precision, so a CSV reads back exactly. */
export function cell(value: string | number | boolean | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  return String(value)
}

/** A run as CSV: the header, then one row per transport with the run's context in each. */
export function formatCsv(report: RunReport): string {
  const rows = report.results.map((result) => csvColumns.map((c) => cell(c.value(result, report.context))))
  return stringify([[...csvHeader], ...rows])
}

/** A result CSV read back: one record per row, keyed by column name, values as text. */
export function parseCsv(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true })
}

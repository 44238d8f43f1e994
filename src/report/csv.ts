import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { csvColumns, csvHeader } from '../results/columns.js'
import type { RunReport } from '../results/report.js'

/**
 * Decimals a column keeps: a time in milliseconds to the microsecond (`p50_ms`, `p99_ms_min`,
 * `server_cpu_ms_per_1k`), a time in microseconds whole, anything else (a ratio, a share, megabytes)
 * to 0.01. The JSON keeps every figure in full.
 */
export function csvDigits(column: string): number {
  if (/_ms(_|$)/.test(column)) return 3
  if (/_us(_|$)/.test(column)) return 0
  return 2
}

/** Empty for unknown (null, NaN); a number rounded to `digits` decimals, written without trailing zeros. */
export function cell(value: string | number | boolean | null, digits?: number): string {
  if (value === null) return ''
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return ''
    return digits === undefined || Number.isInteger(value) ? String(value) : String(Number(value.toFixed(digits)))
  }
  return String(value)
}

const digits = csvColumns.map((c) => csvDigits(c.name))

/** A run as CSV: the header, then one row per transport with the run's context in each. */
export function formatCsv(report: RunReport): string {
  const rows = report.results.map((result) => csvColumns.map((c, i) => cell(c.value(result, report), digits[i])))
  return stringify([[...csvHeader], ...rows])
}

/** A result CSV read back: one record per row, keyed by column name, values as text. */
export function parseCsv(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true })
}

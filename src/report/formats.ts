import type { CompareReport } from '../baseline/compare.js'
import type { CapacityReport } from '../capacity/search.js'
import type { RunReport } from '../results/report.js'
import { formatCapacityCsv } from './capacity-csv.js'
import { formatCapacityTable } from './capacity-table.js'
import { compareCsv, compareMarkdown, compareTable } from './compare-table.js'
import { formatCsv } from './csv.js'
import { formatJson, toJson } from './json.js'
import { formatTable } from './table.js'

/** What each command reports: a run, a capacity search, a comparison of result files. */
export interface Reports {
  run: RunReport
  capacity: CapacityReport
  compare: CompareReport
}
export type ReportKind = keyof Reports

/** What the caller knows that a format may use: whether stdout is a terminal that takes colour. */
export interface RenderOptions {
  colour?: boolean
  /** The table's columns after the transport, by name (--columns, --wide); the narrow default when absent. */
  columns?: readonly string[]
}

/** One way to write one kind of report: text from the report, nothing measured, nothing printed. */
export type ReportFormat<R> = (report: R, options: RenderOptions) => string

/** Every format of every report, by the name `--format` takes. */
export const reportFormats = {
  run: { table: (report, { columns }) => formatTable(report, columns ? { columns } : {}), csv: formatCsv, json: formatJson },
  capacity: { table: formatCapacityTable, csv: formatCapacityCsv, json: toJson },
  compare: { table: (report, { colour }) => compareTable(report, colour === true), csv: compareCsv, markdown: compareMarkdown },
} as const satisfies { [K in ReportKind]: Record<string, ReportFormat<Reports[K]>> }

export type FormatName<K extends ReportKind> = keyof (typeof reportFormats)[K] & string

/** The names `--format` accepts for a kind of report, in the order help lists them. */
export function formatNames<K extends ReportKind>(kind: K): FormatName<K>[] {
  return Object.keys(reportFormats[kind]) as FormatName<K>[]
}

/** A report as text in the named format; the name was checked by the `--format` parser. */
export function renderReport<K extends ReportKind>(kind: K, name: FormatName<K>, report: Reports[K], options: RenderOptions = {}): string {
  const format = reportFormats[kind][name] as ReportFormat<Reports[K]>
  return format(report, options)
}

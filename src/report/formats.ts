import type { RunReport } from '../results/report.js'
import { formatCsv } from './csv.js'
import { formatJson } from './json.js'
import { formatTable } from './table.js'

/** Every report format by name: what --format accepts. Reporters only turn a report into text. */
export const formats = {
  table: formatTable,
  csv: formatCsv,
  json: formatJson,
} as const satisfies Record<string, (report: RunReport) => string>

export type FormatName = keyof typeof formats
export const formatNames = Object.keys(formats) as FormatName[]

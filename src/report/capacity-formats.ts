import type { CapacityReport } from '../capacity/search.js'
import { formatCapacityCsv } from './capacity-csv.js'
import { formatCapacityTable } from './capacity-table.js'
import type { FormatName } from './formats.js'
import { toJson } from './json.js'

/** The capacity report in each format --format accepts, as `formats` is for a run. */
export const capacityFormats = {
  table: formatCapacityTable,
  csv: formatCapacityCsv,
  json: (report: CapacityReport) => toJson(report),
} as const satisfies Record<FormatName, (report: CapacityReport) => string>

import { parse, type Options } from 'csv-parse/sync'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { RunSettings } from '../context.js'
import { errorCode, messageOf, UserError } from '../errors.js'
import { percentileInterval, quantileOfName } from '../metrics/noise.js'
import type { Range } from '../metrics/repeats.js'
import type { TransportResult } from '../metrics/summarise.js'
import { csvHeader } from '../results/columns.js'
import type { RunReport } from '../results/report.js'
import { comparedSettings, comparedSettingsOfCsv, type ComparedSettings } from '../transports/comparison.js'
import { readLegacySettings } from '../transports/legacy.js'
import { known, metrics } from './metrics.js'

/** The settings that make two runs comparable; a difference in any of them changes every figure. */
export interface ComparableSettings {
  pairs: number
  ratePerSec: number
  payloadBytes: number
  durationMs: number
  /** The transports' settings that change the figures, by CSV column (transports/comparison.ts). */
  transports: ComparedSettings
}

/** One transport's figures as compare and the gate see them, whatever file they came from. */
export interface ResultRow {
  transport: string
  /** By metric name (`p99`); null when unknown. */
  values: Record<string, number | null>
  /** By metric name: the fastest and slowest of the --repeat runs, where recorded. */
  range: Record<string, Range>
  /**
   * By metric name: a percentile's 95% interval from this run's histogram (JSON files only),
   * where the figure could as well have been by sampling alone. Compare reads it; the gate does not.
   */
  band?: Record<string, Range>
}

export interface ResultFile {
  path: string
  /** Short name for a column heading. */
  label: string
  settings: ComparableSettings | null
  rows: ResultRow[]
  /** The whole report, when the file is JSON (histograms included). */
  report?: RunReport
}

const fixedColumns = csvHeader.slice(0, 17)
/** Rows as arrays, so the header's order can be checked, not just its names. */
const csvOptions: Options = { skip_empty_lines: true }
export const supportedSchemaVersion = 1

/** Reads a result file, CSV or JSON by content; every problem is one UserError naming the file. */
export async function readResults(path: string): Promise<ResultFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new UserError(`${path}: cannot read it (${errorCode(err) ?? messageOf(err)}); give the path of a results .csv or .json`)
  }
  return parseResults(text, path)
}

export function parseResults(text: string, path: string): ResultFile {
  return text.trimStart().startsWith('{') ? fromJson(text, path) : fromCsv(text, path)
}

function fromJson(text: string, path: string): ResultFile {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${messageOf(err)}); give a results file written by transport-bench run`)
  }
  return resultFileOf(checkReport(data, path), path)
}

/** A report (just run, or read from JSON) as compare and the gate see it. */
export function resultFileOf(report: RunReport, path: string): ResultFile {
  return {
    path,
    label: basename(path),
    settings: comparableSettingsOf(report.context.settings),
    rows: report.results.map(rowOfResult),
    report,
  }
}

function checkReport(data: unknown, path: string): RunReport {
  const d = data as Partial<RunReport> | null
  if (typeof d !== 'object' || d === null || !('schemaVersion' in d)) {
    throw new UserError(`${path}: not a transport-bench result (no schemaVersion); give a results file written by transport-bench run`)
  }
  if (d.schemaVersion !== supportedSchemaVersion) {
    throw new UserError(
      `${path}: schemaVersion ${String(d.schemaVersion)} is not one this version reads (${supportedSchemaVersion}); ` +
        'use the transport-bench version that wrote it, or rerun the benchmark',
    )
  }
  const wellFormed =
    typeof d.context?.settings === 'object' &&
    Array.isArray(d.results) &&
    d.results.every((r) => typeof r?.transport === 'string' && typeof r.latency === 'object')
  if (!wellFormed) throw new UserError(`${path}: schemaVersion 1 but context or results are missing or malformed; rerun the benchmark`)
  // Files from before per-transport settings hold them under flat keys.
  return readLegacySettings(d as RunReport)
}

function rowOfResult(r: TransportResult): ResultRow {
  const values = Object.fromEntries(metrics.map((m) => [m.name, known(m.value(r))]))
  const range: Record<string, Range> = {}
  // NaN (nothing delivered in any repeat) was written as null: no range then.
  const knownRange = (x: Range | undefined): x is Range => known(x?.min) !== null && known(x?.max) !== null
  if (knownRange(r.repeats?.p50Ms)) range.p50 = r.repeats.p50Ms
  if (knownRange(r.repeats?.p99Ms)) range.p99 = r.repeats.p99Ms
  return { transport: r.transport, values, range, band: histogramBand(r) }
}

/** Each percentile metric's 95% interval from the row's histogram; empty when it has none. */
function histogramBand(r: TransportResult): Record<string, Range> {
  if (typeof r.histogram !== 'string') return {}
  return Object.fromEntries(
    metrics.flatMap((m) => {
      const quantile = quantileOfName(m.name)
      const interval = quantile === undefined ? undefined : percentileInterval(r.histogram, quantile)
      return interval === undefined ? [] : [[m.name, interval]]
    }),
  )
}

/** The settings a baseline must share with the run it gates. */
export function comparableSettingsOf(s: RunSettings): ComparableSettings {
  return {
    pairs: s.pairs,
    ratePerSec: s.ratePerSec,
    payloadBytes: s.payloadBytes,
    durationMs: s.durationMs,
    transports: comparedSettings(s.transportSettings),
  }
}

function fromCsv(text: string, path: string): ResultFile {
  let table: string[][]
  try {
    table = parse(text, csvOptions)
  } catch (err) {
    throw new UserError(`${path}: not a readable CSV (${messageOf(err)}); give a results file written by transport-bench run`)
  }
  const header = table[0] ?? []
  const missing = fixedColumns.filter((name, i) => header[i] !== name)
  if (missing.length > 0) {
    throw new UserError(
      `${path}: not a transport-bench result (missing or misplaced columns: ${missing.join(', ')}); ` +
        'give a .csv or .json written by transport-bench run',
    )
  }
  const records = table.slice(1).map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])))
  return { path, label: basename(path), settings: csvSettings(records[0]), rows: records.map(rowOfRecord) }
}

function numberOf(cell: string | undefined): number | null {
  if (cell === undefined || cell.trim() === '') return null
  return known(Number(cell))
}

function rowOfRecord(record: Record<string, string>): ResultRow {
  const values = Object.fromEntries(metrics.map((m) => [m.name, numberOf(record[m.column])]))
  const range: Record<string, Range> = {}
  for (const name of ['p50', 'p99']) {
    const min = numberOf(record[`${name}_ms_min`])
    const max = numberOf(record[`${name}_ms_max`])
    if (min !== null && max !== null) range[name] = { min, max }
  }
  return { transport: record.transport ?? '', values, range }
}

function csvSettings(record: Record<string, string> | undefined): ComparableSettings | null {
  if (record === undefined) return null
  const s = {
    pairs: numberOf(record.pairs),
    ratePerSec: numberOf(record.rate_per_sec),
    payloadBytes: numberOf(record.payload_bytes),
    durationMs: numberOf(record.duration_ms),
    transports: comparedSettingsOfCsv(record),
  }
  return Object.values(s).every((v) => v !== null) ? (s as ComparableSettings) : null
}

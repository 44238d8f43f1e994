import { stringify } from 'csv-stringify/sync'
import type { CapacityReport, StepRecord } from '../capacity/search.js'
import { cell, csvDigits } from './csv.js'

type Cell = string | number | boolean | null

/** The capacity CSV: one row per step, in the order they ran, ready to plot rate against p99. New columns go at the end. */
const columns: readonly [name: string, value: (r: StepRecord) => Cell][] = [
  ['transport', (r) => r.transport],
  ['send_mode', (r) => r.sendMode],
  ['step', (r) => r.step.index],
  ['refinement', (r) => r.step.refinement],
  ['asked_msgs_per_sec', (r) => r.step.ratePerSec],
  ['achieved_msgs_per_sec', (r) => r.verdict.figures.achievedRatePerSec],
  ['delivered', (r) => r.result.delivered],
  ['lost', (r) => r.result.lost],
  ['duplicated', (r) => r.result.duplicated],
  ['p50_ms', (r) => r.result.latency.p50Ms],
  ['p90_ms', (r) => r.result.latency.p90Ms],
  ['p99_ms', (r) => r.result.latency.p99Ms],
  ['max_ms', (r) => r.result.latency.maxMs],
  ['send_lag_p99_us', (r) => r.result.sendLagP99Us],
  ['generator_cpu_pct', (r) => r.result.generatorCpuPct],
  ['server_cpu_pct', (r) => r.verdict.figures.serverCpuPct],
  ['pass', (r) => r.verdict.pass],
  ['reason', (r) => r.verdict.reason],
  ['attempt', (r) => r.attempt],
]

export const capacityCsvHeader: readonly string[] = columns.map(([name]) => name)

export function formatCapacityCsv(report: CapacityReport): string {
  const rows = report.steps.map((r) => columns.map(([name, value]) => cell(value(r), csvDigits(name))))
  return stringify([[...capacityCsvHeader], ...rows])
}

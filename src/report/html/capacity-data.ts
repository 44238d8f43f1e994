import type { CapacityReport, CapacitySummary, StepRecord } from '../../capacity/search.js'
import { formatDurationMs } from '../../units.js'
import { stopText } from '../capacity-table.js'
import type { CapacityData, Chart, ChartSeries, TextTable } from './data.js'
import { count, fixed, roundMs } from './format.js'
import { colourMap, dashOf, guideColour } from './style.js'

/** A capacity file with the label its series carry when several are overlaid ('' for one). */
export interface CapacitySource {
  label: string
  report: CapacityReport
}

/** One climb: a transport with one send mode, in one file. */
interface Climb {
  label: string
  key: string
  source: number
  steps: StepRecord[]
  summary: CapacitySummary | undefined
}

/** Where a climb's knee is: the highest rate it sustained, and p99 at that step. */
export interface Knee {
  ratePerSec: number
  p99Ms: number | null
}

/**
 * Pure: the knee from the transport's summary, or, in a file written before the summary was
 * (a search stopped part-way), from its steps: the highest rate at which an attempt passed.
 */
export function kneeOf(steps: readonly StepRecord[], summary: CapacitySummary | undefined): Knee | null {
  if (summary !== undefined) {
    if (summary.sustainableRatePerSec === null) return null
    return { ratePerSec: summary.sustainableRatePerSec, p99Ms: roundMs(summary.sustained?.result.latency.p99Ms) }
  }
  const passes = steps.filter((s) => s.verdict.pass)
  if (passes.length === 0) return null
  const best = passes.reduce((a, b) => (b.step.ratePerSec > a.step.ratePerSec ? b : a))
  return { ratePerSec: best.step.ratePerSec, p99Ms: roundMs(best.result.latency.p99Ms) }
}

/** Room on the rate axis either side of the rates tried, so the SLO line spans the chart even for one rate. */
const rateMargin = 1.25

/**
 * Pure: rate against p99 for every climb of every file, every attempt a point, knees and SLOs
 * marked; null when no step has been measured yet.
 */
export function capacitySection(sources: readonly CapacitySource[]): CapacityData | null {
  const climbs = sources.flatMap((s, source) => climbsOf(s, source))
  const rates = [...new Set(climbs.flatMap((c) => c.steps.map((s) => s.step.ratePerSec)))].sort((a, b) => a - b)
  if (rates.length === 0) return null
  const xs = [rates[0]! / rateMargin, ...rates, rates.at(-1)! * rateMargin]
  const colours = colourMap(climbs.map((c) => c.key))
  const series = climbs.flatMap((climb) => climbSeries(climb, xs, colours.get(climb.key)!))
  const slos = [...new Set(sources.map((s) => s.report.capacity.sloMs))]
  for (const sloMs of slos) {
    series.push({
      label: `SLO p99 ≤ ${formatDurationMs(sloMs)}`,
      colour: guideColour,
      dash: [4, 4],
      width: 1,
      line: true,
      pointSize: 0,
      values: xs.map(() => sloMs),
    })
  }
  const chart: Chart = {
    id: 'capacity',
    title: 'Capacity: p99 at each rate tried',
    x: { label: 'messages/s asked, all pairs together', log: true, format: 'rate' },
    y: { label: 'p99 latency ms', log: true, format: 'ms' },
    xs,
    series,
  }
  return { chart, summary: summaryTable(sources, climbs), steps: stepsTable(climbs) }
}

function climbsOf({ label, report }: CapacitySource, source: number): Climb[] {
  const keys = [...new Set([...report.summaries, ...report.steps].map((r) => `${r.transport} (${r.sendMode})`))]
  return keys.map((key) => {
    const steps = report.steps.filter((s) => `${s.transport} (${s.sendMode})` === key)
    return {
      key,
      label: label === '' ? key : `${key} · ${label}`,
      source,
      steps,
      summary: report.summaries.find((s) => `${s.transport} (${s.sendMode})` === key),
    }
  })
}

/**
 * A climb's series: its curve through the attempt that decided each step, the earlier attempts
 * of retried steps as points of their own, and its knee as a large point.
 */
function climbSeries(climb: Climb, xs: readonly number[], colour: string): ChartSeries[] {
  const deciding = new Map<number, StepRecord>()
  for (const step of climb.steps) deciding.set(step.step.ratePerSec, step)
  const p99At = (records: Map<number, StepRecord>) => xs.map((x) => (records.has(x) ? roundMs(records.get(x)!.result.latency.p99Ms) : null))
  const series: ChartSeries[] = [
    { label: climb.label, colour, dash: dashOf(climb.source), width: 2, line: true, pointSize: 7, values: p99At(deciding) },
  ]
  const earlier = climb.steps.filter((s) => deciding.get(s.step.ratePerSec) !== s)
  for (const attempt of [...new Set(earlier.map((s) => s.attempt))].sort((a, b) => a - b)) {
    const records = new Map(earlier.filter((s) => s.attempt === attempt).map((s) => [s.step.ratePerSec, s]))
    series.push({
      label: `${climb.label} · attempt ${attempt}, retried`,
      colour,
      dash: [],
      width: 1,
      line: false,
      pointSize: 6,
      values: p99At(records),
    })
  }
  const knee = kneeOf(climb.steps, climb.summary)
  if (knee !== null) {
    series.push({
      label: `${climb.label} · knee ${count(knee.ratePerSec)} msg/s`,
      colour,
      dash: [],
      width: 3,
      line: false,
      pointSize: 16,
      values: xs.map((x) => (x === knee.ratePerSec ? knee.p99Ms : null)),
    })
  }
  return series
}

function summaryTable(sources: readonly CapacitySource[], climbs: readonly Climb[]): TextTable {
  return {
    columns: ['climb', 'sustained msg/s', 'p99 ms there', 'stopped by'],
    rows: climbs.map((c) => {
      const knee = kneeOf(c.steps, c.summary)
      return [
        c.label,
        knee === null ? 'none' : count(knee.ratePerSec),
        fixed(knee?.p99Ms, 3),
        c.summary === undefined ? 'the search did not finish' : stopText(c.summary, sources[c.source]!.report),
      ]
    }),
  }
}

function stepsTable(climbs: readonly Climb[]): TextTable {
  return {
    columns: ['climb', 'step', 'attempt', 'msg/s asked', 'msg/s sent', 'p99 ms', 'server CPU %', 'verdict'],
    rows: climbs.flatMap((c) =>
      c.steps.map((s) => [
        c.label,
        `${s.step.index}${s.step.refinement ? ' (refinement)' : ''}`,
        String(s.attempt),
        count(s.step.ratePerSec),
        count(s.verdict.figures.achievedRatePerSec),
        fixed(s.result.latency.p99Ms, 3),
        fixed(s.verdict.figures.serverCpuPct, 0),
        s.verdict.pass ? 'pass' : `fail: ${s.verdict.reason}`,
      ]),
    ),
  }
}

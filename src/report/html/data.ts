/**
 * What the HTML report shows, as plain data: every chart's points and every table's text,
 * computed in Node from the result files. The page only lays it out and the browser only
 * draws it, so all the arithmetic here is pure and unit-tested.
 */
import type { CapacityReport } from '../../capacity/search.js'
import type { RunReport } from '../../results/report.js'
import { capacitySection } from './capacity-data.js'
import { contextFacts } from './format.js'
import { sourceLabels } from './labels.js'
import { runSections, type RunSource } from './run-data.js'

/** One result file as read: a run (`run`, `merge`) or a capacity search. */
export type ReportInput = { path: string; run: RunReport } | { path: string; capacity: CapacityReport }

export interface Tick {
  value: number
  label: string
}

export interface ChartAxis {
  label: string
  log: boolean
  /** Fixed ticks (the percentile axis); otherwise the chart picks its own. */
  ticks?: Tick[]
  /** How a hovered x value reads in the legend. */
  format: 'percentile' | 'seconds' | 'rate' | 'ms'
}

export interface ChartSeries {
  label: string
  colour: string
  dash: number[]
  width: number
  /** False draws points only. */
  line: boolean
  /** Point diameter in CSS pixels; 0 draws none. */
  pointSize: number
  /** Aligned with the chart's xs; null where the series has no value. */
  values: (number | null)[]
}

export interface Chart {
  id: string
  title: string
  x: ChartAxis
  y: ChartAxis
  xs: number[]
  series: ChartSeries[]
}

export interface Bar {
  label: string
  colour: string
  value: number | null
}

export interface BarGroup {
  title: string
  digits: number
  bars: Bar[]
}

/** A table as text: the page escapes it, nothing else. */
export interface TextTable {
  columns: string[]
  rows: string[][]
}

/** A section shown only when some result carries its fields (set-up cost, link). */
export interface ExtraSection {
  id: string
  title: string
  table: TextTable
}

export interface SourceInfo {
  label: string
  path: string
  kind: 'run' | 'capacity'
  facts: [name: string, value: string][]
}

export interface CapacityData {
  chart: Chart
  summary: TextTable
  steps: TextTable
}

export interface ReportData {
  title: string
  sources: SourceInfo[]
  /** Latency by percentile, every run row on one chart; null without run results. */
  distribution: Chart | null
  /** Each row's p50 … max as figures, under the distribution chart. */
  latencyTable: TextTable | null
  /** One chart per transport: p50, p99 and max per second of the window. */
  timelines: Chart[]
  costs: BarGroup[]
  health: TextTable | null
  extras: ExtraSection[]
  capacity: CapacityData | null
  /** Plain sentences about what is missing or approximate. */
  notes: string[]
}

/** Pure: the report's data from the files given, in their order. */
export function buildReportData(inputs: readonly ReportInput[]): ReportData {
  const runs = inputs.filter((i): i is Extract<ReportInput, { run: RunReport }> => 'run' in i)
  const capacities = inputs.filter((i): i is Extract<ReportInput, { capacity: CapacityReport }> => 'capacity' in i)
  const runLabels = sourceLabels(runs.map((r) => ({ path: r.path, settings: r.run.context.settings })))
  const capacityLabels = sourceLabels(capacities.map((c) => ({ path: c.path, settings: c.capacity.context.settings })))
  const runSources: RunSource[] = runs.map((r, i) => ({ path: r.path, label: runLabels[i]!, report: r.run }))
  const sections = runSections(runSources)
  return {
    title: 'transport-bench report',
    sources: [
      ...runSources.map((s): SourceInfo => ({ label: s.label, path: s.path, kind: 'run', facts: contextFacts(s.report.context) })),
      ...capacities.map((c, i): SourceInfo => ({
        label: capacityLabels[i]!,
        path: c.path,
        kind: 'capacity',
        facts: contextFacts(c.capacity.context),
      })),
    ],
    ...sections,
    capacity: capacities.length > 0 ? capacitySection(capacities.map((c, i) => ({ label: capacityLabels[i]!, report: c.capacity }))) : null,
    notes: [
      ...sections.notes,
      ...capacities.filter((c) => c.capacity.steps.length === 0).map((c) => `${c.path}: the capacity search had measured no step yet.`),
    ],
  }
}

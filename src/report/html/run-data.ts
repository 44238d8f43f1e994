import { percentileCurve, percentilePlotXs } from '../../metrics/percentile-curve.js'
import type { TransportResult } from '../../metrics/summarise.js'
import type { RunReport } from '../../results/report.js'
import type { BarGroup, Chart, ChartSeries, ExtraSection, ReportData, TextTable } from './data.js'
import { anyValue, count, fixed, roundMs } from './format.js'
import { colourAt, colourMap, dashOf } from './style.js'

/** A run file with the label its series carry when several files are overlaid ('' for one file). */
export interface RunSource {
  path: string
  label: string
  report: RunReport
}

/** One row of one file: a line in the distribution, a bar, a row of each table. */
interface Row {
  label: string
  transport: string
  source: number
  sourceLabel: string
  result: TransportResult
}

/** 50 points a decade over 4 decades: a smooth curve in a few kB per row. */
const pointsPerDecade = 50
const percentileTicks = [
  { value: 1, label: '0%' },
  { value: 10, label: '90%' },
  { value: 100, label: '99%' },
  { value: 1000, label: '99.9%' },
  { value: 10_000, label: '99.99%' },
]

/**
 * Fields other versions of the tool may add to a row or to the settings. Each section appears
 * only when some row has one of its fields; nothing is shown, or assumed, for fields not there.
 */
const extraSections: { id: string; title: string; fields: [key: string, label: string][] }[] = [
  {
    id: 'setup',
    title: 'Set-up cost',
    fields: [
      ['setupP50Ms', 'set-up p50 ms'],
      ['setupBytes', 'set-up bytes'],
    ],
  },
  {
    id: 'link',
    title: 'Link',
    fields: [
      ['link', 'link'],
      ['rttMs', 'RTT ms'],
      ['achievedRttP50Ms', 'achieved RTT p50 ms'],
    ],
  },
]

type RunSections = Pick<ReportData, 'distribution' | 'latencyTable' | 'timelines' | 'costs' | 'health' | 'extras' | 'notes'>

/** Pure: every section drawn from run results, the files overlaid in the order given. */
export function runSections(sources: readonly RunSource[]): RunSections {
  const rows = sources.flatMap((s, source) =>
    s.report.results.map((result): Row => ({
      label: s.label === '' ? result.transport : `${result.transport} · ${s.label}`,
      transport: result.transport,
      source,
      sourceLabel: s.label,
      result,
    })),
  )
  if (rows.length === 0) return { distribution: null, latencyTable: null, timelines: [], costs: [], health: null, extras: [], notes: [] }
  const colours = colourMap(rows.map((r) => r.transport))
  const timelines = timelineCharts(rows, colours, sources.length > 1)
  return {
    distribution: distributionChart(rows, colours),
    latencyTable: latencyTable(rows),
    timelines,
    costs: costBars(rows, colours),
    health: healthTable(rows),
    extras: extras(rows, sources),
    notes: notes(rows, timelines),
  }
}

export function distributionChart(rows: readonly Row[], colours: Map<string, string>): Chart {
  const xs = percentilePlotXs(pointsPerDecade)
  return {
    id: 'percentiles',
    title: 'Latency by percentile',
    x: { label: 'percentile', log: true, ticks: percentileTicks, format: 'percentile' },
    y: { label: 'latency ms', log: true, format: 'ms' },
    xs: xs.map((x) => Number(x.toPrecision(6))),
    series: rows.map((row): ChartSeries => ({
      label: row.label,
      colour: colours.get(row.transport)!,
      dash: dashOf(row.source),
      width: 2,
      line: true,
      pointSize: 0,
      values: percentileCurve(row.result.histogram, xs, row.result.latency.maxMs).map(roundMs),
    })),
  }
}

function latencyTable(rows: readonly Row[]): TextTable {
  return {
    columns: ['series', 'delivered', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
    rows: rows.map((r) => {
      const l = r.result.latency
      return [r.label, count(r.result.delivered), ...[l.p50Ms, l.p90Ms, l.p99Ms, l.p999Ms, l.maxMs].map((v) => fixed(v, 3))]
    }),
  }
}

/** Per transport, p50, p99 and max per slot of every file that recorded a timeline. */
export function timelineCharts(rows: readonly Row[], colours: Map<string, string>, several: boolean): Chart[] {
  const transports = [...new Set(rows.map((r) => r.transport))]
  return transports.flatMap((transport) => {
    const withTimeline = rows.filter((r) => r.transport === transport && r.result.timeline !== undefined)
    if (withTimeline.length === 0) return []
    const xs = [...new Set(withTimeline.flatMap((r) => r.result.timeline!.map((s) => s.startMs / 1000)))].sort((a, b) => a - b)
    const series = withTimeline.flatMap((row) => {
      const colour = several ? colourAt(row.source) : colours.get(transport)!
      const bySecond = new Map(row.result.timeline!.map((s) => [s.startMs / 1000, s]))
      const stat = (
        name: string,
        pick: (s: NonNullable<TransportResult['timeline']>[number]) => number,
        dash: number[],
        width: number,
      ) => ({
        label: several ? `${name} · ${row.sourceLabel}` : name,
        colour,
        dash,
        width,
        line: true,
        pointSize: 4,
        values: xs.map((x) => {
          const slot = bySecond.get(x)
          return slot === undefined ? null : roundMs(pick(slot))
        }),
      })
      return [stat('p50', (s) => s.p50Ms, [], 2), stat('p99', (s) => s.p99Ms, [6, 3], 2), stat('max', (s) => s.maxMs, [1, 3], 1)]
    })
    return [
      {
        id: `timeline-${withTimeline[0]!.transport}`.replace(/[^A-Za-z0-9_-]/g, '_'),
        title: `${transport}: latency by second of the window`,
        x: { label: 'seconds into the measured window (by scheduled send time)', log: false, format: 'seconds' },
        y: { label: 'latency ms', log: true, format: 'ms' },
        xs,
        series,
      },
    ]
  })
}

function costBars(rows: readonly Row[], colours: Map<string, string>): BarGroup[] {
  const group = (title: string, digits: number, pick: (r: TransportResult) => number): BarGroup => ({
    title,
    digits,
    bars: rows.map((r) => ({ label: r.label, colour: colours.get(r.transport)!, value: finite(pick(r.result)) })),
  })
  return [
    group('receive requests per message', 2, (r) => r.recvRequestsPerMsg),
    group('bytes up per message', 0, (r) => r.bytesUpPerMsg),
    group('bytes down per message', 0, (r) => r.bytesDownPerMsg),
  ]
}

function healthTable(rows: readonly Row[]): TextTable {
  return {
    columns: [
      'series',
      'sent',
      'delivered',
      'lost',
      'dup',
      'reord',
      'send lag p50 µs',
      'send lag p99 µs',
      'event-loop p99 ms',
      'generator CPU %',
      'generator-limited',
      'errors (send/receive)',
      'first error',
    ],
    rows: rows.map(({ label, result: r }) => [
      label,
      count(r.sent),
      count(r.delivered),
      count(r.lost),
      count(r.duplicated),
      count(r.reordered),
      fixed(r.sendLagP50Us, 0),
      fixed(r.sendLagP99Us, 0),
      fixed(r.loopDelayP99Ms, 1),
      fixed(r.generatorCpuPct, 0),
      r.generatorLimited ? 'yes' : 'no',
      `${r.sendErrors}/${r.receiveErrors}`,
      r.firstError ?? '',
    ]),
  }
}

/** The set-up and link sections, each only when some row or its file's settings has one of its fields. */
function extras(rows: readonly Row[], sources: readonly RunSource[]): ExtraSection[] {
  const valueOf = (row: Row, key: string): unknown =>
    (row.result as unknown as Record<string, unknown>)[key] ??
    (sources[row.source]!.report.context.settings as unknown as Record<string, unknown>)[key]
  return extraSections.flatMap((section) => {
    const fields = section.fields.filter(([key]) => rows.some((row) => valueOf(row, key) !== undefined))
    if (fields.length === 0) return []
    return [
      {
        id: section.id,
        title: section.title,
        table: {
          columns: ['series', ...fields.map(([, label]) => label)],
          rows: rows.map((row) => [row.label, ...fields.map(([key]) => anyValue(valueOf(row, key)))]),
        },
      },
    ]
  })
}

function notes(rows: readonly Row[], timelines: readonly Chart[]): string[] {
  const missing = rows.filter((r) => r.result.timeline === undefined).map((r) => r.label)
  if (missing.length === 0) return []
  return [
    `No timeline for ${missing.join(', ')}: ${timelines.length === 0 ? 'these results were' : 'those rows were'} written before transport-bench recorded one.`,
  ]
}

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

import type { RunContext } from '../context.js'
import { generatorLimitCause, type TransportResult } from '../metrics/summarise.js'
import { fixed } from '../results/field.js'
import { figures, findFigure } from '../results/fields.js'
import type { RunReport } from '../results/report.js'
import { minSamplesP999, summariseRun, type RunSummary } from '../results/summary.js'
import { describeSettings, expectedLatency } from '../transports/reporting.js'
import { formatDurationMs, formatMs } from '../units.js'
import { columns as formatColumns, terminalWidth, wrap } from './text.js'
import { formatVerdict } from './verdict.js'

/** One column of the terminal table after the transport: a declared figure, or one composed here. */
export interface TableColumn {
  name: string
  label: string
  align: 'left' | 'right'
  text: (r: TransportResult) => string
}

/** Flags every declared figure may raise (fields.ts `flag`), in declaration order. */
const flagged = figures.filter((f) => f.flag !== undefined)

/** Columns composed from several figures, by the name --columns takes. */
const composed: readonly TableColumn[] = [
  {
    name: 'bytes_per_msg',
    label: 'B/msg up+down',
    align: 'right',
    text: (r) => (Number.isFinite(r.bytesUpPerMsg) ? `${fixed(r.bytesUpPerMsg, 0)}+${fixed(r.bytesDownPerMsg, 0)}` : 'n/a'),
  },
  {
    name: 'flags',
    label: 'flags',
    align: 'left',
    text: (r) =>
      flagged
        .filter((f) => f.flag!.on(r))
        .map((f) => f.flag!.word)
        .join(','),
  },
]

/** The default table, narrow enough for a 100-column terminal: latency, losses, cost, flags. */
export const defaultColumns: readonly string[] = ['p50_ms', 'p99_ms', 'max_ms', 'lost', 'recv_requests_per_msg', 'bytes_per_msg', 'flags']

/** Every figure with a heading, in declaration order, then the flags: `--wide`. */
export const wideColumns: readonly string[] = [
  ...figures.flatMap((f) => (f.label !== undefined && f.column !== undefined && f.column !== 'transport' ? [f.column] : [])),
  'flags',
]

/** Names `--columns` takes: every figure with a heading (CSV column or compare name) and the composed ones. */
export function tableColumnNames(): string[] {
  return [...wideColumns.filter((c) => c !== 'flags'), ...composed.map((c) => c.name)]
}

/** A column by name: a composed one, or a declared figure with a heading; undefined for any other name. */
export function findTableColumn(name: string): TableColumn | undefined {
  const own = composed.find((c) => c.name === name)
  if (own) return own
  const figure = findFigure(name)
  if (figure?.label === undefined || figure.column === undefined || figure.column === 'transport') return undefined
  return { name: figure.column, label: figure.label, align: 'right', text: figure.text }
}

function tableColumns(names: readonly string[]): TableColumn[] {
  return names.map((name) => {
    const column = findTableColumn(name)
    if (column === undefined) throw new Error(`table column ${name} is neither a declared field with a heading nor a composed column`)
    return column
  })
}

/** The table itself: transport first, then the chosen columns, aligned without borders. */
function mainTable(results: readonly TransportResult[], columns: readonly TableColumn[]): string {
  const head = ['transport', ...columns.map((c) => c.label)]
  const rows = results.map((r) => [r.transport, ...columns.map((c) => c.text(r))])
  return formatColumns(head, rows, ['left', ...columns.map((c) => c.align)])
}

/** What each flag shown means, for the flags some row raised. */
function flagLegend(results: readonly TransportResult[], columns: readonly TableColumn[]): string[] {
  if (!columns.some((c) => c.name === 'flags')) return []
  const raised = flagged.filter((f) => results.some((r) => f.flag!.on(r)))
  return raised.length === 0 ? [] : [wrap(`flags: ${raised.map((f) => `${f.flag!.word} = ${f.flag!.means}`).join('; ')}`)]
}

/** `200 pairs × 1 msg/s` by default; a scenario's groups, fan-out, arrivals and idle users when it has them. */
function shapeText(s: RunContext['settings']): string {
  const k = s.receiversPerGroup ?? 1
  const groups =
    k === 1 ? `${s.pairs} pair${s.pairs === 1 ? '' : 's'}` : `${s.pairs} group${s.pairs === 1 ? '' : 's'} of 1 sender → ${k} receivers`
  const arrival = s.arrival === undefined || s.arrival.startsWith('constant') ? `${s.ratePerSec} msg/s` : s.arrival
  const idle = s.idleReceivers ? ` + ${s.idleReceivers} idle receivers` : ''
  const scenario = s.scenario !== undefined && s.scenario !== 'pairs' ? `scenario ${s.scenario}: ` : ''
  return `${scenario}${groups} × ${arrival}${idle}`
}

function payloadText(s: RunContext['settings']): string {
  return s.payloadMaxBytes !== undefined && s.payloadMaxBytes > s.payloadBytes
    ? `${s.payloadBytes}–${s.payloadMaxBytes}-byte`
    : `${s.payloadBytes}-byte`
}

/** The settings that explain the rows, as short lines: the load, the transports' own settings, where it ran. */
function settingsLines(c: RunContext): string[] {
  const s = c.settings
  const load = `load: ${shapeText(s)}, ${payloadText(s)} payload, ${formatDurationMs(s.durationMs)} measured${s.stages ? ` in stages (${s.stages})` : ''} after ${formatDurationMs(s.warmupMs)} warm-up`
  const transports = describeSettings(s.transportSettings)
  const workers = s.workers !== undefined && s.workers > 1 ? `, ${s.workers} load workers` : ''
  const server = `server: ${s.target}${s.tls ? ' over TLS (https, wss)' : ''}${s.link ? ` through an emulated ${s.link.description}` : ''}, placement ${s.placement}${workers}; Node ${c.nodeVersion}, ${c.cpuCount}× ${c.cpuModel}`
  const faults = s.faults ? [`faults: ${s.faults} injected into every receiver's connections (senders' never); rows marked faulted`] : []
  return [load, ...(transports.length > 0 ? [`transports: ${transports.join('; ')}`] : []), server, ...faults].map((line) => wrap(line))
}

/** What HTTP/2 changes for a row that ran over it (--http2). */
const http2Theory =
  'over HTTP/2: each user still holds one connection, its requests now streams on it (a browser would need no more, where HTTP/1.1 takes one per open request, six per origin at most); ' +
  'HPACK sends a repeated head as a few bytes of table indexes, so every message costs fewer bytes: its POST and the answer (every transport), and for polling also the poll that fetches it; ' +
  'the event stream itself gains nothing (one request per run, 9 bytes of frame per event against about 7 of chunking); latency should stay as over HTTP/1.1'

/** One line per transport: what was measured, beside what theory says for these settings. */
function reading(r: TransportResult, c: RunContext): string {
  // A sweep's row is `name@value` and carries its own settings.
  const link = c.settings.link
  const fixedRate = !c.settings.stages && (c.settings.arrival === undefined || c.settings.arrival.startsWith('constant'))
  const path = link
    ? { upMs: link.delayUpMs, downMs: link.delayDownMs, ...(fixedRate ? { ratePerSec: c.settings.ratePerSec } : {}) }
    : undefined
  const theory = expectedLatency(r.transport, r.settings ?? c.settings.transportSettings, path) ?? 'no theory for this transport'
  const lines = [`${r.transport}: p50 ${formatMs(r.latency.p50Ms)} ms; ${theory}.`]
  if (r.linkNote) lines.push(`link: ${r.linkNote}.`)
  if (r.faults !== undefined) lines.push(`${faultNote(r)}.`)
  if (r.setupP50Ms !== undefined) lines.push(`${setupNote(r.setupP50Ms, r.setupBytes, link?.rttMs, c.settings.tls)}.`)
  if (r.httpVersion === '2') lines.push(`${http2Theory}.`)
  if (r.lost > 0 || r.duplicated > 0 || r.reordered > 0) {
    lines.push(
      `${r.lost} lost, ${r.duplicated} duplicated, ${r.reordered} out of order${r.firstError ? ` (first error: ${r.firstError})` : ''}.`,
    )
  } else if (r.firstError) {
    lines.push(`${r.sendErrors + r.receiveErrors} errors, none lost a message (first: ${r.firstError}).`)
  }
  if (r.generatorLimited) {
    lines.push(`generator-limited: ${generatorLimitCause(r)}; lower --rate or --pairs, or use --pin, before trusting this row.`)
  }
  if (r.invalid) lines.push(`invalid: ${r.invalid}; its server CPU and memory are not reported, and its other figures span both processes.`)
  return lines.map((line, i) => wrap(i === 0 ? line : `  ${line}`, terminalWidth, i === 0 ? '    ' : '  ')).join('\n')
}

/** `faults: drop-every=2s, 9 injected; recovery p50 1008.2 ms, max 1012.4 ms; 120 late after a fault, 12 reconnects`. */
function faultNote(r: TransportResult): string {
  const ms = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'unknown')
  const recovery = `recovery p50 ${ms(r.recoveryP50Ms)}, max ${ms(r.recoveryMaxMs)}`
  // Only a silent path is detected by silence: a reset is seen at once, and says nothing here.
  const detect =
    (r.silentDrops ?? 0) > 0 ? `; silence detected p50 ${ms(r.detectP50Ms)}, max ${ms(r.detectMaxMs)} (${r.silentDrops} dropped)` : ''
  return `faults: ${r.faults}, ${r.faultsInjected ?? 0} injected; ${recovery}${detect}; ${r.lateAfterFault ?? 0} late after a fault, ${r.reconnects ?? 0} reconnects`
}

/**
 * `set-up (connect → first answer) p50 101.2 ms = 2.0 round trips of 50 ms (theory 2: …), 412 B`.
 * Counted from the connect (the SYN on a real network), so the TCP handshake is one of them.
 */
function setupNote(ms: number, bytes: number | undefined, rttMs: number | undefined, tls: boolean): string {
  if (!Number.isFinite(ms)) return 'set-up: no probe receiver got ready'
  const theory = tls
    ? 'theory 3: the TCP handshake, the TLS 1.3 handshake, then the request and its answer'
    : 'theory 2: the TCP handshake, then the request and its answer'
  const trips =
    rttMs !== undefined && rttMs > 0 ? ` = ${(ms / rttMs).toFixed(1)} round trips of ${Number(rttMs.toFixed(3))} ms (${theory})` : ''
  return `set-up (connect → first answer) p50 ${formatMs(ms)} ms${trips}, ${bytes ?? Number.NaN} B`
}

/** How late the generator's sends went out and how busy it was: the row is only as good as this. */
function generatorLine(results: readonly TransportResult[]): string {
  const cpus = new Set(results.map((r) => r.generatorCpuPct.toFixed(0)))
  const oneCpu = cpus.size === 1 ? [...cpus][0] : undefined
  const parts = results.map(
    (r) => `${r.transport} ${r.sendLagP50Us}/${r.sendLagP99Us} µs${oneCpu === undefined ? ` ${r.generatorCpuPct.toFixed(0)}%` : ''}`,
  )
  const what = oneCpu === undefined ? 'send lag p50/p99, CPU of one core' : 'send lag p50/p99'
  const cpu = oneCpu === undefined ? '' : `; CPU ${oneCpu}% of one core`
  return wrap(`generator (${what}): ${parts.join(', ')}${cpu}; it busy-waits near each send`)
}

/** With --repeat: how far p50 and p99 ranged, so a reader can tell a difference from noise. */
function repeatsLine(results: readonly TransportResult[]): string[] {
  const parts = results.flatMap((r) =>
    r.repeats
      ? [
          `${r.transport} p50 ${formatMs(r.repeats.p50Ms.min)}–${formatMs(r.repeats.p50Ms.max)} ms, p99 ${formatMs(r.repeats.p99Ms.min)}–${formatMs(r.repeats.p99Ms.max)} ms`,
        ]
      : [],
  )
  const count = results.find((r) => r.repeats)?.repeats?.count
  return count === undefined ? [] : [wrap(`medians of ${count} runs each; min–max over the runs: ${parts.join('; ')}`)]
}

/** Rows whose p99.9 rests on too few latencies to be more than their maximum. */
function fewSamplesLine(summary: RunSummary): string[] {
  if (summary.fewSamples.length === 0) return []
  const rows = summary.fewSamples.map((f) => `${f.transport} ${f.count}`).join(', ')
  return [
    wrap(
      `warning: few latencies (${rows}): under ${minSamplesP999.toLocaleString('en-US')} a p99.9 is the maximum, not a percentile; measure longer or with more pairs`,
    ),
  ]
}

const stageHead = ['transport', 'stage', 'at its end', 'sent', 'delivered', 'p50 ms', 'p99 ms']

/** With stages: one line per transport and stage, so a ramp shows where each transport's latency bent. */
function stageTable(results: readonly TransportResult[]): string[] {
  if (!results.some((r) => r.stages !== undefined)) return []
  const rows = results.flatMap((r) =>
    (r.stages ?? []).map((s) => {
      const span = `${s.stage} (${formatDurationMs(s.startMs)}–${formatDurationMs(s.endMs)})`
      const target = `${s.ratePerSec === null ? 'bursts' : `${Number(s.ratePerSec.toPrecision(4))} msg/s`} × ${s.groups} group${s.groups === 1 ? '' : 's'}`
      return [r.transport, span, target, String(s.sent), String(s.delivered), formatMs(s.p50Ms), formatMs(s.p99Ms)]
    }),
  )
  return ['', formatColumns(stageHead, rows, ['left', 'left', 'left'])]
}

/** How the table is laid out: the columns after the transport, by name (default: `defaultColumns`). */
export interface TableOptions {
  columns?: readonly string[]
}

/**
 * The terminal report: the table, per-stage figures when there are stages, the verdict, the
 * settings that explain it, the generator's health, and a reading per transport. With the
 * default columns no line is longer than 100 characters (cpu model and errors aside, which wrap).
 */
export function formatTable(report: RunReport, options: TableOptions = {}): string {
  const columns = tableColumns(options.columns ?? defaultColumns)
  const summary = summariseRun(report)
  return [
    mainTable(report.results, columns),
    ...flagLegend(report.results, columns),
    ...fewSamplesLine(summary),
    ...stageTable(report.results),
    '',
    ...formatVerdict(summary),
    '',
    ...settingsLines(report.context),
    generatorLine(report.results),
    ...repeatsLine(report.results),
    ...report.results.map((r) => reading(r, report.context)),
    '',
  ].join('\n')
}

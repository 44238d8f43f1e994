import Table from 'cli-table3'
import type { RunContext } from '../context.js'
import { generatorLimitCause, type TransportResult } from '../metrics/summarise.js'
import type { Figure } from '../results/field.js'
import { findFigure } from '../results/fields.js'
import type { RunReport } from '../results/report.js'
import { describeSettings, expectedLatency } from '../transports/reporting.js'
import { formatDurationMs, formatMs } from '../units.js'

/** The table's columns after the transport, by CSV column name (fields.ts declares each one's heading and digits). */
export const defaultColumns: readonly string[] = [
  'sent',
  'delivered',
  'lost',
  'duplicated',
  'reordered',
  'p50_ms',
  'p90_ms',
  'p99_ms',
  'p999_ms',
  'max_ms',
  'recv_requests_per_msg',
  'bytes_up_per_msg',
  'bytes_down_per_msg',
  'connections',
  'server_cpu_ms_per_1k',
  'server_rss_mb',
  'recv_requests_per_min',
  'server_rss_mb_per_1k_receivers',
]

function figureNamed(name: string): Figure & { label: string } {
  const figure = findFigure(name)
  if (figure?.label === undefined) throw new Error(`table column ${name} is not a declared field with a label`)
  return { ...figure, label: figure.label }
}

const columns = defaultColumns.map(figureNamed)
const head = ['transport', ...columns.map((f) => f.label)]

function transportLabel(r: TransportResult): string {
  const flags = [
    r.sendMode === 'socket' ? 'sends on socket' : '',
    r.generatorLimited ? 'generator-limited' : '',
    r.linkOff ? 'link off its rtt' : '',
  ]
  const note = flags.filter(Boolean).join(', ')
  return note ? `${r.transport} (${note})` : r.transport
}

function row(r: TransportResult): string[] {
  return [transportLabel(r), ...columns.map((f) => f.text(r))]
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

function settingsLine(c: RunContext): string {
  const s = c.settings
  return (
    `${shapeText(s)}, ${payloadText(s)} payload, ${formatDurationMs(s.durationMs)} measured${s.stages ? ` in stages (${s.stages})` : ''} after ` +
    `${formatDurationMs(s.warmupMs)} warm-up; ${describeSettings(s.transportSettings)
      .map((part) => `${part}; `)
      .join('')}` +
    `server ${s.target}${s.tls ? ' over TLS (https, wss)' : ''}${s.link ? ` through an emulated ${s.link.description}` : ''}, placement ${s.placement}${s.workers !== undefined && s.workers > 1 ? `, ${s.workers} load workers` : ''}; Node ${c.nodeVersion}, ${c.cpuCount}× ${c.cpuModel}`
  )
}

/** One line per transport: what was measured, beside what theory says for these settings. */
function reading(r: TransportResult, c: RunContext): string {
  // A sweep's row is `name@value` and carries its own settings.
  const link = c.settings.link
  const path = link ? { upMs: link.delayUpMs, downMs: link.delayDownMs } : undefined
  const theory = expectedLatency(r.transport, r.settings ?? c.settings.transportSettings, path) ?? 'no theory for this transport'
  const lines = [`${r.transport}: p50 ${formatMs(r.latency.p50Ms)} ms; ${theory}.`]
  if (r.linkNote) lines.push(`  link: ${r.linkNote}.`)
  if (r.lost > 0 || r.duplicated > 0 || r.reordered > 0) {
    lines.push(
      `  ${r.lost} lost, ${r.duplicated} duplicated, ${r.reordered} out of order${r.firstError ? ` (first error: ${r.firstError})` : ''}.`,
    )
  } else if (r.firstError) {
    lines.push(`  ${r.sendErrors + r.receiveErrors} errors, none lost a message (first: ${r.firstError}).`)
  }
  if (r.generatorLimited) {
    lines.push(`  generator-limited: ${generatorLimitCause(r)}; ` + 'lower --rate or --pairs, or use --pin, before trusting this row.')
  }
  return lines.join('\n')
}

function generatorLine(results: readonly TransportResult[]): string {
  const parts = results.map(
    (r) => `${r.transport} lag p50 ${r.sendLagP50Us} µs / p99 ${r.sendLagP99Us} µs, CPU ${r.generatorCpuPct.toFixed(0)}%`,
  )
  return `generator (sends vs schedule; it busy-waits near each send): ${parts.join('; ')}`
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
  return count === undefined ? [] : [`medians of ${count} runs each; min–max over the runs: ${parts.join('; ')}`]
}

const stageHead = ['transport', 'stage', 'at its end', 'sent', 'delivered', 'p50 ms', 'p99 ms']

/** With stages: one line per transport and stage, so a ramp shows where each transport's latency bent. */
function stageTable(results: readonly TransportResult[]): string[] {
  if (!results.some((r) => r.stages !== undefined)) return []
  const table = new Table({ head: stageHead, style: { head: [], border: [] } })
  for (const r of results) {
    for (const s of r.stages ?? []) {
      const span = `${s.stage} (${formatDurationMs(s.startMs)}–${formatDurationMs(s.endMs)})`
      const target = `${s.ratePerSec === null ? 'bursts' : `${Number(s.ratePerSec.toPrecision(4))} msg/s`} × ${s.groups} group${s.groups === 1 ? '' : 's'}`
      table.push([r.transport, span, target, String(s.sent), String(s.delivered), formatMs(s.p50Ms), formatMs(s.p99Ms)])
    }
  }
  return [table.toString()]
}

/** The terminal report: the table, per-stage figures when there are stages, the settings that explain it, and a reading per transport. */
export function formatTable(report: RunReport): string {
  const table = new Table({ head, style: { head: [], border: [] } })
  for (const r of report.results) table.push(row(r))
  return [
    table.toString(),
    ...stageTable(report.results),
    settingsLine(report.context),
    generatorLine(report.results),
    ...repeatsLine(report.results),
    ...report.results.map((r) => reading(r, report.context)),
    '',
  ].join('\n')
}

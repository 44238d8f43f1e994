import Table from 'cli-table3'
import type { CapacityReport, CapacitySummary, StepRecord } from '../capacity/search.js'
import { formatDurationMs, formatMs } from '../units.js'

const head = ['transport', 'send mode', 'sustained msg/s', 'p99 ms there', 'stopped by']

const count = (n: number): string => Math.round(n).toLocaleString('en-US')
const pct = (n: number | null): string => (n === null ? 'n/a' : `${n.toFixed(0)}%`)

/** What stopped the climb, with the failing step's own figures. */
export function stopText(summary: CapacitySummary, report: CapacityReport): string {
  const { plan, sloMs } = report.capacity
  const failed = summary.stoppedBy
  if (failed === null) {
    return summary.stop === 'max-rate'
      ? `max-rate: reached ${count(plan.maxRatePerSec)} msg/s without failing`
      : `max-steps: ${plan.maxSteps} steps without failing, below ${count(plan.maxRatePerSec)} msg/s`
  }
  return `${summary.stop}: ${failureFigures(failed, sloMs)} at ${count(failed.step.ratePerSec)} msg/s${failed.step.refinement ? ' (refinement)' : ''}`
}

function failureFigures(r: StepRecord, sloMs: number): string {
  const f = r.verdict.figures
  const p99 = `p99 ${formatMs(r.result.latency.p99Ms)} ms ${r.result.latency.p99Ms > sloMs ? '>' : '≤'} ${formatDurationMs(sloMs)}`
  switch (r.verdict.reason) {
    case 'loss':
      return `${r.result.lost} lost, ${f.dropped ?? 'n/a'} dropped by the server${r.result.firstError ? ` (first error: ${r.result.firstError})` : ''}`
    case 'duplicate':
      return `${r.result.duplicated} duplicated`
    case 'generator':
      return (
        `sent ${count(f.achievedRatePerSec)} msg/s, send lag p99 ${formatMs(r.result.sendLagP99Us / 1000)} ms, ` +
        `event-loop delay p99 ${r.result.loopDelayP99Ms.toFixed(1)} ms${r.result.generatorLimited ? ', generator-limited' : ''}`
      )
    case 'server-cpu':
      return `server CPU ${pct(f.serverCpuPct)} of a core; ${p99}`
    default:
      return `${p99}; server CPU ${pct(f.serverCpuPct)}`
  }
}

function row(s: CapacitySummary, report: CapacityReport): string[] {
  return [
    s.transport,
    s.sendMode,
    s.sustainableRatePerSec === null ? 'none' : count(s.sustainableRatePerSec),
    s.sustained === null ? '-' : formatMs(s.sustained.result.latency.p99Ms),
    stopText(s, report),
  ]
}

function settingsLine(report: CapacityReport): string {
  const { plan, sloMs, pairs } = report.capacity
  const c = report.context
  const s = c.settings
  return (
    `${pairs} pairs, ${s.payloadBytes}-byte payload; steps from ${count(plan.startRatePerSec)} msg/s ×${plan.factor} up to ` +
    `${count(plan.maxRatePerSec)} (at most ${plan.maxSteps}, then ${plan.refine} refinements; a failing step measured up to ${1 + plan.retries} times), each ${formatDurationMs(s.durationMs)} ` +
    `after ${formatDurationMs(s.warmupMs)} warm-up; pass: p99 ≤ ${formatDurationMs(sloMs)}, nothing lost, generator on schedule; ` +
    `server ${s.target}${s.tls ? ' over TLS' : ''}, placement ${s.placement}; Node ${c.nodeVersion}, ${c.cpuCount}× ${c.cpuModel}`
  )
}

/** A transport that failed its first step has no capacity to show: say how to find one. */
function notes(report: CapacityReport): string[] {
  const pin = report.context.settings.placement === 'none' ? '--pin, ' : ''
  const generator = `the generator could not keep its own schedule even there: use ${pin}fewer --pairs or a quieter machine`
  return report.summaries
    .filter((s) => s.sustainableRatePerSec === null)
    .map(
      (s) =>
        `${s.transport} (${s.sendMode}): failed at its first step; ${s.stop === 'generator' ? generator : 'lower --start-rate (or raise --slo) to find where it holds'}.`,
    )
}

/** The terminal report: one line per transport, then the settings that explain it. */
export function formatCapacityTable(report: CapacityReport): string {
  const table = new Table({ head, style: { head: [], border: [] } })
  for (const s of report.summaries) table.push(row(s, report))
  return [table.toString(), settingsLine(report), ...notes(report), ''].join('\n')
}

/** One progress line per step, for stderr: where it was asked, and how it went. */
export function stepLine(r: StepRecord, sloMs: number): string {
  const where = `${r.transport} (${r.sendMode}) step ${r.step.index}${r.step.refinement ? ' (refinement)' : ''}${r.attempt > 1 ? ` (retry ${r.attempt - 1})` : ''} at ${count(r.step.ratePerSec)} msg/s`
  const verdict = r.verdict.pass
    ? `pass, p99 ${formatMs(r.result.latency.p99Ms)} ms, server CPU ${pct(r.verdict.figures.serverCpuPct)}`
    : `fail, ${r.verdict.reason}: ${failureFigures(r, sloMs)}`
  return `${where}: ${verdict}`
}

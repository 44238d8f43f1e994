import { capacityTuning, generatorTuning } from '../config.js'
import type { TransportResult } from '../metrics/summarise.js'

/** Why a step failed, most fundamental first: a lost message outranks a slow one. */
export type FailReason = 'loss' | 'duplicate' | 'generator' | 'server-cpu' | 'latency'

/** The figures a verdict is drawn from, derived from one step's row. */
export interface StepFigures {
  askedRatePerSec: number
  /** Messages the generator sent per second of the measured window. */
  achievedRatePerSec: number
  /** Server CPU over the window in % of one core; null when the server does not report it. */
  serverCpuPct: number | null
  /** Messages the server dropped from full mailboxes; null when it does not say. */
  dropped: number | null
}

export type Verdict = { pass: true; reason: null; figures: StepFigures } | { pass: false; reason: FailReason; figures: StepFigures }

export interface VerdictLimits {
  sloMs: number
  /** Event-loop delay p99 above which the generator stalled (as for the generator-limited flag). */
  loopDelayLimitMs: number
  minSendShare: number
  maxSendLagShareOfSlo: number
  serverSaturatedCpuPct: number
}

export function verdictLimits(sloMs: number): VerdictLimits {
  const { minSendShare, maxSendLagShareOfSlo, serverSaturatedCpuPct } = capacityTuning
  return { sloMs, loopDelayLimitMs: generatorTuning.loopDelayLimitMs, minSendShare, maxSendLagShareOfSlo, serverSaturatedCpuPct }
}

/**
 * Pure: whether a rate was sustained. A step passes when nothing was lost, dropped or
 * duplicated, p99 stayed within the SLO and the generator kept up (see generatorBehind); a
 * failure names its cause, the first that holds of loss, duplicate, generator, server-cpu, latency.
 */
export function judgeStep(result: TransportResult, askedRatePerSec: number, limits: VerdictLimits): Verdict {
  const figures = figuresOf(result, askedRatePerSec)
  const reason = failReason(result, figures, limits)
  return reason === null ? { pass: true, reason, figures } : { pass: false, reason, figures }
}

export function figuresOf(result: TransportResult, askedRatePerSec: number): StepFigures {
  return {
    askedRatePerSec,
    achievedRatePerSec: result.windowMs > 0 ? (result.sent * 1000) / result.windowMs : 0,
    serverCpuPct: serverCpuPct(result),
    dropped: result.serverDropped,
  }
}

/** CPU per 1,000 delivered times deliveries is the server's CPU over the window; over the window's length, its share of a core. */
export function serverCpuPct(result: TransportResult): number | null {
  if (result.serverCpuMsPer1k === null || !Number.isFinite(result.serverCpuMsPer1k) || result.windowMs <= 0) return null
  const cpuMs = (result.serverCpuMsPer1k * result.delivered) / 1000
  return (100 * cpuMs) / result.windowMs
}

function failReason(result: TransportResult, figures: StepFigures, limits: VerdictLimits): FailReason | null {
  if (result.lost > 0 || (figures.dropped ?? 0) > 0) return 'loss'
  if (result.duplicated > 0) return 'duplicate'
  if (generatorBehind(result, figures, limits)) return 'generator'
  // A p99 within budget passes, whatever the CPU: a busy server that still answers in time is sustaining the rate.
  if (result.sent > 0 && result.latency.p99Ms <= limits.sloMs) return null
  if ((figures.serverCpuPct ?? 0) >= limits.serverSaturatedCpuPct) return 'server-cpu'
  return 'latency'
}

/**
 * The generator fell behind its own schedule, so the step measured it rather than the server:
 * it sent under the asked rate, its send lag ate much of the SLO, its event loop stalled, or
 * the latency that broke the SLO was mostly its lag. The row's generator-limited flag alone
 * is not enough: it weighs the lag against this step's p99, and at low rates, where p99 is
 * well under a millisecond, a lag of a few hundred microseconds sets it though the SLO is far.
 */
export function generatorBehind(result: TransportResult, figures: StepFigures, limits: VerdictLimits): boolean {
  if (result.sent === 0) return true
  return (
    figures.achievedRatePerSec < limits.minSendShare * figures.askedRatePerSec ||
    result.sendLagP99Us / 1000 > limits.maxSendLagShareOfSlo * limits.sloMs ||
    result.loopDelayP99Ms > limits.loopDelayLimitMs ||
    (result.generatorLimited && result.latency.p99Ms > limits.sloMs)
  )
}

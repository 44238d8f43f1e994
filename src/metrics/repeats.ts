import { addHistograms, encodeHistogram } from './histogram.js'
import type { StageResult, TransportResult } from './summarise.js'
import { combineTimelines } from './timeline.js'

export interface Range {
  min: number
  max: number
}

/**
 * The spread of repeated runs of one transport. min–max rather than an IQR: with the few
 * repeats a CI job can afford (3–5), quartiles are the extremes anyway, and min–max says so.
 */
export interface RepeatSpread {
  count: number
  p50Ms: Range
  p99Ms: Range
}

/** The median of the known values (the mean of the middle two for an even count); NaN if none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const m = median(values.filter((v): v is number => v !== null))
  return Number.isNaN(m) ? null : m
}

function range(values: readonly number[]): Range {
  const known = values.filter(Number.isFinite)
  return known.length === 0 ? { min: Number.NaN, max: Number.NaN } : { min: Math.min(...known), max: Math.max(...known) }
}

/**
 * Pure: N runs of one transport as one row. Every figure is the median of that figure across
 * the runs (each on its own, so lost need not equal sent − delivered); the histogram holds all
 * runs' latencies, so the file can still be merged; `repeats` records the p50 and p99 spread.
 */
export function combineRepeats(runs: readonly TransportResult[]): TransportResult {
  const first = runs[0]
  if (first === undefined) throw new Error('combineRepeats needs at least one run')
  if (runs.length === 1) return first
  const m = (pick: (r: TransportResult) => number): number => median(runs.map(pick))
  const mn = (pick: (r: TransportResult) => number | null): number | null => medianOrNull(runs.map(pick))
  const timeline = combineTimelines(
    runs.map((r) => r.timeline),
    { count: median, latency: median },
  )
  const base: TransportResult = { ...first }
  delete base.timeline
  return {
    ...base,
    sent: m((r) => r.sent),
    delivered: m((r) => r.delivered),
    lost: m((r) => r.lost),
    duplicated: m((r) => r.duplicated),
    reordered: m((r) => r.reordered),
    latency: {
      count: m((r) => r.latency.count),
      p50Ms: m((r) => r.latency.p50Ms),
      p90Ms: m((r) => r.latency.p90Ms),
      p99Ms: m((r) => r.latency.p99Ms),
      p999Ms: m((r) => r.latency.p999Ms),
      maxMs: m((r) => r.latency.maxMs),
      meanMs: m((r) => r.latency.meanMs),
    },
    recvRequestsPerMsg: m((r) => r.recvRequestsPerMsg),
    bytesUpPerMsg: m((r) => r.bytesUpPerMsg),
    bytesDownPerMsg: m((r) => r.bytesDownPerMsg),
    connections: m((r) => r.connections),
    serverCpuMsPer1k: mn((r) => r.serverCpuMsPer1k),
    serverRssMb: mn((r) => r.serverRssMb),
    serverDropped: mn((r) => r.serverDropped),
    sendLagP50Us: m((r) => r.sendLagP50Us),
    sendLagP99Us: m((r) => r.sendLagP99Us),
    loopDelayP99Ms: m((r) => r.loopDelayP99Ms),
    generatorCpuPct: m((r) => r.generatorCpuPct),
    generatorLimited: runs.some((r) => r.generatorLimited),
    sendErrors: m((r) => r.sendErrors),
    receiveErrors: m((r) => r.receiveErrors),
    firstError: runs.find((r) => r.firstError !== null)?.firstError ?? null,
    windowMs: m((r) => r.windowMs),
    generatorRssMbPer1kConnections: mn((r) => r.generatorRssMbPer1kConnections),
    serverRssMbPer1kConnections: mn((r) => r.serverRssMbPer1kConnections),
    histogram: encodeHistogram(addHistograms(runs.map((r) => r.histogram))),
    repeats: { count: runs.length, p50Ms: range(runs.map((r) => r.latency.p50Ms)), p99Ms: range(runs.map((r) => r.latency.p99Ms)) },
    ...(first.stages
      ? {
          stages: first.stages.map((stage, i) =>
            medianStage(
              stage,
              runs.map((r) => r.stages?.[i]),
            ),
          ),
        }
      : {}),
    ...(timeline ? { timeline } : {}),
  }
}

/** A stage's figures as the median over the runs, like the row's; its edges and targets are the same in every run. */
function medianStage(stage: StageResult, runs: readonly (StageResult | undefined)[]): StageResult {
  const known = runs.filter((s): s is StageResult => s !== undefined)
  const m = (pick: (s: StageResult) => number): number => median(known.map(pick))
  return {
    ...stage,
    sent: m((s) => s.sent),
    delivered: m((s) => s.delivered),
    lost: m((s) => s.lost),
    p50Ms: m((s) => s.p50Ms),
    p99Ms: m((s) => s.p99Ms),
    maxMs: m((s) => s.maxMs),
  }
}

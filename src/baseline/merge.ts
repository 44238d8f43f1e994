import { addHistograms, encodeHistogram, summariseLatency } from '../metrics/histogram.js'
import { isGeneratorLimited, perMessage, type TransportResult } from '../metrics/summarise.js'
import { combineTimelines } from '../metrics/timeline.js'
import type { RunReport } from '../results/report.js'

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0)

/** A per-message figure of several runs: total over total, i.e. weighted by messages delivered. */
function perDelivered(runs: readonly TransportResult[], pick: (r: TransportResult) => number | null): number | null {
  if (runs.some((r) => pick(r) === null)) return null
  const delivered = sum(runs.map((r) => r.delivered))
  return perMessage(sum(runs.map((r) => (pick(r) ?? 0) * r.delivered)), delivered)
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : sum(values as number[])
}

/**
 * Pure: runs of one transport as one. Counters add up, per-message costs are re-divided by the
 * total delivered, latency percentiles come from the added histograms; figures no sum can
 * rebuild (send-lag and event-loop percentiles, peak memory) keep the worst run's value.
 */
export function mergeTransport(runs: readonly TransportResult[]): TransportResult {
  const first = runs[0]
  if (first === undefined) throw new Error('mergeTransport needs at least one run')
  const histogram = addHistograms(runs.map((r) => r.histogram))
  const latency = summariseLatency(histogram)
  const windowMs = sum(runs.map((r) => r.windowMs))
  const sendLagP99Us = Math.max(...runs.map((r) => r.sendLagP99Us))
  const loopDelayP99Ms = Math.max(...runs.map((r) => r.loopDelayP99Ms))
  // A merged row is a sum, not a median of repeats: the spread of the inputs no longer applies.
  const base: TransportResult = { ...first }
  delete base.repeats
  // Only summaries are saved per slot: counts add up, and the worst run's percentiles bound the merged ones from above.
  const timeline = combineTimelines(
    runs.map((r) => r.timeline),
    { count: (v) => sum(v), latency: (v) => Math.max(...v) },
  )
  delete base.timeline
  return {
    ...base,
    sent: sum(runs.map((r) => r.sent)),
    delivered: sum(runs.map((r) => r.delivered)),
    lost: sum(runs.map((r) => r.lost)),
    duplicated: sum(runs.map((r) => r.duplicated)),
    reordered: sum(runs.map((r) => r.reordered)),
    latency,
    recvRequestsPerMsg: perDelivered(runs, (r) => r.recvRequestsPerMsg) ?? Number.NaN,
    bytesUpPerMsg: perDelivered(runs, (r) => r.bytesUpPerMsg) ?? Number.NaN,
    bytesDownPerMsg: perDelivered(runs, (r) => r.bytesDownPerMsg) ?? Number.NaN,
    connections: sum(runs.map((r) => r.connections)),
    serverCpuMsPer1k: perDelivered(runs, (r) => r.serverCpuMsPer1k),
    serverRssMb: runs.some((r) => r.serverRssMb === null) ? null : Math.max(...runs.map((r) => r.serverRssMb ?? 0)),
    serverDropped: sumOrNull(runs.map((r) => r.serverDropped)),
    sendLagP50Us: Math.max(...runs.map((r) => r.sendLagP50Us)),
    sendLagP99Us,
    loopDelayP99Ms,
    generatorCpuPct: windowMs > 0 ? sum(runs.map((r) => r.generatorCpuPct * r.windowMs)) / windowMs : 0,
    generatorLimited: runs.some((r) => r.generatorLimited) || isGeneratorLimited(sendLagP99Us, latency.p99Ms, loopDelayP99Ms),
    sendErrors: sum(runs.map((r) => r.sendErrors)),
    receiveErrors: sum(runs.map((r) => r.receiveErrors)),
    firstError: runs.find((r) => r.firstError !== null)?.firstError ?? null,
    windowMs,
    histogram: encodeHistogram(histogram),
    ...(timeline ? { timeline } : {}),
  }
}

/**
 * Pure: reports of the same settings as one report, transport by transport, in order of first
 * appearance. The context is the first report's, with the earliest start time.
 */
export function mergeReports(reports: readonly RunReport[]): RunReport {
  const first = reports[0]
  if (first === undefined) throw new Error('mergeReports needs at least one report')
  const transports = [...new Set(reports.flatMap((r) => r.results.map((t) => t.transport)))]
  const startedAt = reports.map((r) => r.context.startedAt).sort()[0] ?? first.context.startedAt
  return {
    schemaVersion: 1,
    context: { ...first.context, startedAt },
    results: transports.map((name) => mergeTransport(reports.flatMap((r) => r.results.filter((t) => t.transport === name)))),
  }
}

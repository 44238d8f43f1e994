import { addCounts, type WireCounts } from '../../client/wire.js'
import { ErrorTally } from '../../metrics/errors-tally.js'
import { newHistogram, type Histogram } from '../../metrics/histogram.js'
import type { LoadResult } from '../../metrics/load-result.js'
import type { Recorded, StageRecorded } from '../../metrics/recorder.js'
import { addTimelines } from '../../metrics/timeline.js'

/**
 * Pure: the load of several workers as one, the same LoadResult a single process would have
 * recorded. Counters add up, histograms are added, generator CPU is summed (two busy workers
 * are 200% of one core), the worst worker's loop delay stands for all, and the window is the
 * runner's own, which every worker's window lines up with.
 */
export function mergeLoads(parts: readonly LoadResult[], windowMs: number): LoadResult {
  if (parts.length === 0) throw new Error('mergeLoads needs at least one part')
  const sum = (of: (part: LoadResult) => number): number => sumOf(parts, of)
  const wire = (of: (part: LoadResult) => WireCounts): WireCounts => parts.map(of).reduce(addCounts)
  return {
    recorded: mergeRecorded(parts.map((part) => part.recorded)),
    send: wire((p) => p.send),
    receive: wire((p) => p.receive),
    windowMs,
    connectionsTotal: sum((p) => p.connectionsTotal),
    sendErrors: mergeTallies(parts.map((p) => p.sendErrors)),
    receiveErrors: mergeTallies(parts.map((p) => p.receiveErrors)),
    generatorCpuMs: sum((p) => p.generatorCpuMs),
    loopDelayP99Ms: Math.max(...parts.map((p) => p.loopDelayP99Ms)),
    receiversConnected: sum((p) => p.receiversConnected),
    // Each worker is a process of its own: the generator's memory is theirs together.
    generatorRssBeforeBytes: sum((p) => p.generatorRssBeforeBytes),
    generatorRssEndBytes: sum((p) => p.generatorRssEndBytes),
    connectionsHeld: sum((p) => p.connectionsHeld),
    // Every worker runs the same stages: their targets are the run's.
    ...(parts[0]!.stageTargets ? { stageTargets: parts[0]!.stageTargets } : {}),
  }
}

function mergeRecorded(parts: readonly Recorded[]): Recorded {
  const sum = (of: (part: Recorded) => number): number => sumOf(parts, of)
  return {
    sent: sum((r) => r.sent),
    delivered: sum((r) => r.delivered),
    duplicated: sum((r) => r.duplicated),
    reordered: sum((r) => r.reordered),
    deliveredTotal: sum((r) => r.deliveredTotal),
    sentTotal: sum((r) => r.sentTotal),
    latency: addAll(parts.map((r) => r.latency)),
    sendLag: addAll(parts.map((r) => r.sendLag)),
    sendsQueued: sum((r) => r.sendsQueued),
    stages: parts[0]!.stages.map((stage, i) =>
      mergeStage(
        stage,
        parts.map((r) => r.stages[i]!),
      ),
    ),
    timeline: addTimelines(parts.map((r) => r.timeline)),
    ...mergeFaults(parts),
  }
}

/** Every worker recorded the same faults, each for its own receivers: samples pooled, counts added. */
function mergeFaults(parts: readonly Recorded[]): Pick<Recorded, 'faults'> {
  const faults = parts.flatMap((r) => (r.faults ? [r.faults] : []))
  if (faults.length === 0) return {}
  return {
    faults: {
      planned: faults[0]!.planned,
      recoveryMs: faults.flatMap((f) => f.recoveryMs),
      detectMs: faults.flatMap((f) => f.detectMs),
      silentDrops: sumOf(faults, (f) => f.silentDrops),
      late: sumOf(faults, (f) => f.late),
    },
  }
}

/** One stage across workers: the same edges, counts added, latencies added. */
function mergeStage(edges: StageRecorded, stages: readonly StageRecorded[]): StageRecorded {
  return {
    fromMs: edges.fromMs,
    toMs: edges.toMs,
    sent: sumOf(stages, (s) => s.sent),
    delivered: sumOf(stages, (s) => s.delivered),
    latency: addAll(stages.map((s) => s.latency)),
  }
}

function addAll(histograms: readonly Histogram[]): Histogram {
  const total = newHistogram()
  for (const histogram of histograms) total.add(histogram)
  return total
}

/** Counts add up; the first error of the first worker that saw one is kept. */
function mergeTallies(tallies: readonly ErrorTally[]): ErrorTally {
  const merged = new ErrorTally()
  for (const tally of tallies) {
    merged.count += tally.count
    merged.first ??= tally.first
  }
  return merged
}

function sumOf<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0)
}

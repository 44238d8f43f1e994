/**
 * What the runner and its load workers say to each other over IPC (JSON): the runner sends a
 * plan, each worker answers `ready` once its users are open, the runner sends one `start` to
 * all, and each worker answers with its result. Histograms travel HdrHistogram-encoded.
 */
import type { ServerAccess } from '../../client/server-access.js'
import { ErrorTally } from '../../metrics/errors-tally.js'
import { decodeHistogram, encodeHistogram, withExactMax } from '../../metrics/histogram.js'
import type { LoadResult } from '../../metrics/load-result.js'
import type { Recorded, StageRecorded } from '../../metrics/recorder.js'
import { decodeTimeline, encodeTimeline, type EncodedTimeline } from '../../metrics/timeline.js'
import type { SendMode, TransportSettings } from '../../transports/types.js'
import type { LoadPart } from '../partition.js'
import type { Workload } from '../plan.js'
import type { Role } from '../setup-failures.js'

/**
 * What a worker is told to drive: its LoadPlan as plain JSON, the transport by name and the
 * part required. Only what the worker's users need: nothing of the server's own set-up (its
 * limits, its TLS key) or of where processes are pinned.
 */
export interface WorkerPlan extends Workload {
  transport: string
  settings: TransportSettings
  origin: string
  /** The certificate to trust and the token to send: the worker's users reach the server with them. */
  access?: ServerAccess
  runId: string
  sendMode: SendMode
  part: LoadPart
  /** What the worker's receivers know of their path (client/silence.ts). */
  receiverPath?: { rttMs: number; jitterMs: number }
  /** With faults: where the worker's receivers connect (the runner's faults proxy), and when faults come (the worker records each). */
  receiverOrigin?: string
  faultsAtMs?: readonly number[]
}

export type ToWorker =
  | { type: 'plan'; plan: WorkerPlan }
  /** When the schedule starts, in epoch ms (performance.timeOrigin + performance.now()): one instant for every worker. */
  | { type: 'start'; startEpochMs: number }

export type FromWorker =
  | { type: 'ready' }
  /** `p50Ms` is null while nothing has been delivered (JSON has no NaN). */
  | { type: 'progress'; elapsedMs: number; totalMs: number; delivered: number; p50Ms: number | null }
  | { type: 'result'; load: EncodedLoad }
  /** With `setup`: the worker's users were refused before the window (its own counts, summed by the runner). */
  | { type: 'failed'; message: string; setup?: SetupCounts }

interface TallyCounts {
  count: number
  first: string | null
}

/** A LoadResult as plain JSON. */
export interface EncodedLoad extends Omit<LoadResult, 'recorded' | 'sendErrors' | 'receiveErrors'> {
  recorded: Omit<Recorded, 'latency' | 'sendLag' | 'stages' | 'timeline'> & {
    latency: string
    /** The latency histogram's exact max, µs: its encoding keeps only the max's bucket. */
    latencyMaxUs: number
    sendLag: string
    stages: EncodedStage[]
    timeline: EncodedTimeline
  }
  sendErrors: TallyCounts
  receiveErrors: TallyCounts
}

type EncodedStage = Omit<StageRecorded, 'latency'> & { latency: string; latencyMaxUs: number }

export function encodeLoad(load: LoadResult): EncodedLoad {
  const { latency, sendLag, stages, timeline, ...counts } = load.recorded
  return {
    ...load,
    recorded: {
      ...counts,
      latency: encodeHistogram(latency),
      latencyMaxUs: latency.maxValue,
      sendLag: encodeHistogram(sendLag),
      stages: stages.map((stage) => ({ ...stage, latency: encodeHistogram(stage.latency), latencyMaxUs: stage.latency.maxValue })),
      timeline: encodeTimeline(timeline),
    },
    sendErrors: encodeTally(load.sendErrors),
    receiveErrors: encodeTally(load.receiveErrors),
  }
}

export function decodeLoad(encoded: EncodedLoad): LoadResult {
  const { latency, latencyMaxUs, sendLag, stages, timeline, ...counts } = encoded.recorded
  return {
    ...encoded,
    recorded: {
      ...counts,
      latency: withExactMax(decodeHistogram(latency), latencyMaxUs),
      sendLag: decodeHistogram(sendLag),
      stages: stages.map(({ latencyMaxUs: maxUs, ...stage }) => ({
        ...stage,
        latency: withExactMax(decodeHistogram(stage.latency), maxUs),
      })),
      timeline: decodeTimeline(timeline),
    },
    sendErrors: decodeTally(encoded.sendErrors),
    receiveErrors: decodeTally(encoded.receiveErrors),
  }
}

function encodeTally(tally: ErrorTally): TallyCounts {
  return { count: tally.count, first: tally.first ?? null }
}

function decodeTally(counts: TallyCounts): ErrorTally {
  const tally = new ErrorTally()
  tally.count = counts.count
  if (counts.first !== null) tally.first = counts.first
  return tally
}

/** A worker's set-up failure, as SetupFailed holds it. */
export interface SetupCounts {
  role: Role
  failed: number
  total: number
  why: string
}

import { msToUs } from '../clock.js'
import { newHistogram, recordUs, type Histogram } from './histogram.js'
import { SequenceTracker } from './sequence.js'
import { newTimeline, recordInTimeline, type TimelineRecorded } from './timeline.js'

/** The measured window on the generator's clock: messages scheduled inside it are counted. */
export interface Window {
  startMs: number
  endMs: number
}

/** Raw counts of the measured window, as recorded (summarise.ts turns them into rates). */
export interface Recorded {
  sent: number
  delivered: number
  duplicated: number
  reordered: number
  /** Deliveries of any message (warm-up included), for progress and drain. */
  deliveredTotal: number
  sentTotal: number
  latency: Histogram
  /** How late each send reached the socket after its scheduled time, µs. */
  sendLag: Histogram
  /** Sends that waited behind their sender's full pipeline before reaching the socket. */
  sendsQueued: number
  /** With stages: the same counts per stage, each message in the stage of its scheduled send time. */
  stages: StageRecorded[]
  /** Latencies by second (slot) of scheduled send time over the window, for a report to draw. */
  timeline: TimelineRecorded
  /** With faults injected into the receivers' connections: how the receivers came back (absent otherwise). */
  faults?: FaultsRecorded
}

/** How receivers came back from the faults of a run (faults/ injects them at the instants the recorder is told). */
export interface FaultsRecorded {
  /** Faults planned inside the window. */
  planned: number
  /** Per fault and receiver: ms from the fault to the receipt of the first message scheduled after it (none when it got none). */
  recoveryMs: number[]
  /**
   * Per fault and receiver that dropped a connection for silence after it (a stall: its path
   * forwarded nothing): ms from the fault to that receiver's first such drop.
   */
  detectMs: number[]
  /** Connections receivers dropped for silence, from the window's start to its end, faults or not (a false alarm is one with no fault before it). */
  silentDrops: number
  /**
   * Messages of the window delivered late because of a fault: received after it by a receiver
   * not yet recovered, or scheduled before its recovery and received after (the backlog).
   */
  late: number
}

/** One stage's share of the window: its edges in ms from the window's start, its counts and latencies. */
export interface StageRecorded {
  fromMs: number
  toMs: number
  sent: number
  delivered: number
  latency: Histogram
}

/**
 * Takes every send and delivery of a run. Latency is receipt minus the *scheduled* send time,
 * so a backlog anywhere (generator, server, network) shows up instead of hiding.
 */
export class Recorder {
  private readonly receivers: SequenceTracker[]
  private window: Window = { startMs: Number.POSITIVE_INFINITY, endMs: Number.POSITIVE_INFINITY }
  readonly recorded: Recorded = {
    sent: 0,
    delivered: 0,
    duplicated: 0,
    reordered: 0,
    deliveredTotal: 0,
    sentTotal: 0,
    latency: newHistogram(),
    sendLag: newHistogram(),
    sendsQueued: 0,
    stages: [],
    timeline: newTimeline(0),
  }
  /** Each stage's end on the clock, parallel to `recorded.stages`. */
  private stageEndsMs: readonly number[] = []
  /** With faults: their instants on the clock, and per receiver the next one it has not yet come back from. */
  private readonly faultsAtMs: number[] = []
  private faultState: { next: Int32Array; recoveredAtMs: Float64Array } | undefined
  /** Per receiver that dropped a connection for silence: the last fault it has detected (index in faultsAtMs). */
  private readonly detectedFault = new Map<number, number>()

  /** One sequence tracker per receiver: each must get every message of its group once, in order. */
  constructor(receiverCount: number) {
    this.receivers = Array.from({ length: receiverCount }, () => new SequenceTracker())
  }

  /** The measured window and, with stages, where each stage ends on the clock (the last at the window's end). */
  setWindow(window: Window, stageEndsMs: readonly number[] = []): void {
    this.window = window
    this.stageEndsMs = stageEndsMs
    this.recorded.timeline = newTimeline(window.endMs - window.startMs)
    let fromMs = 0
    this.recorded.stages = stageEndsMs.map((endMs) => {
      // Both edges are stamps (4 decimals): rounding keeps 10s from reading 9999.9999998ms.
      const toMs = Number((endMs - window.startMs).toFixed(3))
      const stage = { fromMs, toMs, sent: 0, delivered: 0, latency: newHistogram() }
      fromMs = toMs
      return stage
    })
  }

  /** `planned` faults are to come in the window: recovery is measured from each, as faultInjected() tells when. */
  expectFaults(planned: number): void {
    const n = this.receivers.length
    this.faultState = {
      next: new Int32Array(n),
      recoveredAtMs: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
    }
    this.recorded.faults = { planned, recoveryMs: [], detectMs: [], silentDrops: 0, late: 0 }
  }

  /** Every receiver's connections were faulted at `atMs` (on the clock, after any before). */
  faultInjected(atMs: number): void {
    this.faultsAtMs.push(atMs)
  }

  /**
   * Receiver `key` dropped a connection it found silent, at `atMs` on the clock. Counted in the
   * window; the first drop of a receiver after a fault is its detection of that fault.
   */
  silenceFound(key: number, atMs: number): void {
    const faults = this.recorded.faults
    if (faults === undefined || atMs < this.window.startMs || atMs >= this.window.endMs) return
    faults.silentDrops++
    const latest = this.faultsAtMs.length - 1
    if (latest < 0 || (this.detectedFault.get(key) ?? -1) >= latest) return
    this.detectedFault.set(key, latest)
    faults.detectMs.push(atMs - this.faultsAtMs[latest]!)
  }

  /**
   * A receipt after faults. The receiver has recovered from a fault when it gets a message
   * scheduled at or after it (a message already in flight at the fault does not count); every
   * receipt from the fault to that recovery, and the backlog after it (scheduled before the
   * recovery), is late.
   */
  private afterFaults(receiver: number, scheduledMs: number, receivedMs: number, counted: boolean): void {
    const state = this.faultState!
    const faults = this.recorded.faults!
    let i = state.next[receiver]!
    let late = i < this.faultsAtMs.length && this.faultsAtMs[i]! <= receivedMs
    for (; i < this.faultsAtMs.length && this.faultsAtMs[i]! <= scheduledMs; i++) {
      faults.recoveryMs.push(receivedMs - this.faultsAtMs[i]!)
      state.recoveredAtMs[receiver] = receivedMs
    }
    state.next[receiver] = i
    late ||= scheduledMs < state.recoveredAtMs[receiver]!
    if (counted && late) faults.late++
  }

  /** The stage a message scheduled in the window belongs to; the last catches anything past its rounded end. */
  private stageOf(scheduledMs: number): StageRecorded | undefined {
    const stages = this.recorded.stages
    // Called for every send and receipt: a run without stages pays nothing.
    if (stages.length === 0) return undefined
    const i = this.stageEndsMs.findIndex((endMs) => scheduledMs < endMs)
    return stages[i === -1 ? stages.length - 1 : i]
  }

  private inWindow(scheduledMs: number): boolean {
    return scheduledMs >= this.window.startMs && scheduledMs < this.window.endMs
  }

  /**
   * One send, due to reach `receivers` receivers: each delivery is expected and counted. With
   * `writtenMs` it reached the socket then; without, `written()` says when, once it has.
   */
  sent(scheduledMs: number, writtenMs: number | undefined, receivers = 1): void {
    this.recorded.sentTotal += receivers
    if (!this.inWindow(scheduledMs)) return
    this.recorded.sent += receivers
    const stage = this.stageOf(scheduledMs)
    if (stage !== undefined) stage.sent += receivers
    if (writtenMs !== undefined) this.written(scheduledMs, writtenMs, false)
  }

  /** A send reached the socket at `writtenMs`: its lag, and whether it waited behind a full pipeline. */
  written(scheduledMs: number, writtenMs: number, queued: boolean): void {
    if (!this.inWindow(scheduledMs)) return
    recordUs(this.recorded.sendLag, msToUs(writtenMs - scheduledMs))
    if (queued) this.recorded.sendsQueued++
  }

  delivered(receiver: number, seq: number, scheduledMs: number, receivedMs: number): void {
    const tracker = this.receivers[receiver]
    if (tracker === undefined) return
    const arrival = tracker.observe(seq)
    if (arrival !== 'duplicate') this.recorded.deliveredTotal++
    if (this.faultState !== undefined)
      this.afterFaults(receiver, scheduledMs, receivedMs, arrival !== 'duplicate' && this.inWindow(scheduledMs))
    if (!this.inWindow(scheduledMs)) return
    if (arrival === 'duplicate') {
      this.recorded.duplicated++
      return
    }
    if (arrival === 'reordered') this.recorded.reordered++
    this.recorded.delivered++
    const latencyUs = msToUs(receivedMs - scheduledMs)
    recordUs(this.recorded.latency, latencyUs)
    recordInTimeline(this.recorded.timeline, scheduledMs - this.window.startMs, latencyUs)
    const stage = this.stageOf(scheduledMs)
    if (stage === undefined) return
    stage.delivered++
    recordUs(stage.latency, latencyUs)
  }
}

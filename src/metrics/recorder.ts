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
  /** Per fault and receiver: ms from the fault to the first message that receiver got after it (none when it got none). */
  recoveryMs: number[]
  /**
   * Messages of the window delivered late because of a fault: scheduled before their receiver's
   * first receipt after a fault and received at or after that fault (the backlog it recovered).
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
  private faultsAtMs: readonly number[] = []
  private faultState: { next: Int32Array; faultAtMs: Float64Array; recoveredAtMs: Float64Array } | undefined

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

  /** The instants (on the clock, in order) at which every receiver's connections are faulted: recovery is measured from each. */
  expectFaults(atMs: readonly number[]): void {
    const n = this.receivers.length
    this.faultsAtMs = atMs
    this.faultState = {
      next: new Int32Array(n),
      faultAtMs: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
      recoveredAtMs: new Float64Array(n).fill(Number.NEGATIVE_INFINITY),
    }
    this.recorded.faults = { planned: atMs.length, recoveryMs: [], late: 0 }
  }

  /** A receipt after faults: the receiver's first after each is its recovery; a backlog message is late. */
  private afterFaults(receiver: number, scheduledMs: number, receivedMs: number, counted: boolean): void {
    const state = this.faultState!
    const faults = this.recorded.faults!
    let i = state.next[receiver]!
    for (; i < this.faultsAtMs.length && this.faultsAtMs[i]! <= receivedMs; i++) {
      faults.recoveryMs.push(receivedMs - this.faultsAtMs[i]!)
      state.faultAtMs[receiver] = this.faultsAtMs[i]!
      state.recoveredAtMs[receiver] = receivedMs
    }
    state.next[receiver] = i
    if (counted && scheduledMs < state.recoveredAtMs[receiver]! && receivedMs >= state.faultAtMs[receiver]!) faults.late++
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

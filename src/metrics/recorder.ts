import { msToUs } from '../clock.js'
import { newHistogram, recordUs, type Histogram } from './histogram.js'
import { SequenceTracker } from './sequence.js'

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
  sendLag: Histogram
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
  }

  /** One sequence tracker per receiver: each must get every message of its group once, in order. */
  constructor(receiverCount: number) {
    this.receivers = Array.from({ length: receiverCount }, () => new SequenceTracker())
  }

  setWindow(window: Window): void {
    this.window = window
  }

  private inWindow(scheduledMs: number): boolean {
    return scheduledMs >= this.window.startMs && scheduledMs < this.window.endMs
  }

  /** One send, due to reach `receivers` receivers: each delivery is expected and counted. */
  sent(scheduledMs: number, sentMs: number, receivers = 1): void {
    this.recorded.sentTotal += receivers
    if (!this.inWindow(scheduledMs)) return
    this.recorded.sent += receivers
    recordUs(this.recorded.sendLag, msToUs(sentMs - scheduledMs))
  }

  delivered(receiver: number, seq: number, scheduledMs: number, receivedMs: number): void {
    const tracker = this.receivers[receiver]
    if (tracker === undefined) return
    const arrival = tracker.observe(seq)
    if (arrival !== 'duplicate') this.recorded.deliveredTotal++
    if (!this.inWindow(scheduledMs)) return
    if (arrival === 'duplicate') {
      this.recorded.duplicated++
      return
    }
    if (arrival === 'reordered') this.recorded.reordered++
    this.recorded.delivered++
    recordUs(this.recorded.latency, msToUs(receivedMs - scheduledMs))
  }
}

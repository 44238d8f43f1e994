import type { DelayLine } from './delay-line.js'
import type { DirectionMeter, LinkCounters } from './meter.js'

/** The side a direction reads from: only paused and resumed, its data is handed in by the connection. */
export interface Source {
  pause(): unknown
  resume(): unknown
}

/** The side a direction writes to (a net.Socket, or a fake in tests). */
export interface Sink {
  readonly destroyed: boolean
  readonly writableEnded: boolean
  readonly writableNeedDrain: boolean
  write(chunk: Buffer): boolean
  end(): unknown
  resetAndDestroy(): unknown
  destroy(): unknown
  once(event: 'drain', listener: () => void): unknown
}

/** Runs a task at a time on the link's clock (the Scheduler, or a fake clock in tests). */
export interface Timer {
  at(dueMs: number, run: () => void): void
}

/** Where a direction gets its time, its timer and its bounds from; shared by every connection of a link. */
export interface DirectionContext {
  now: () => number
  timer: Timer
  /** Unsent bytes at which the source is paused; it resumes at half. */
  queueBytes: number
  counters: LinkCounters
}

type Piece =
  | { kind: 'data'; releaseMs: number; readMs: number; data: Buffer }
  | { kind: 'end' | 'reset'; releaseMs: number; readMs: number; data?: undefined }

/**
 * One direction of one proxied connection: what its source sent, held until the delay line
 * lets each piece go, then written to its sink in the order it was read. A FIN or a reset
 * from the source is passed on after the last byte before it. With nothing to wait for
 * (no delay, jitter or bandwidth) it writes synchronously, so it adds no timer at all.
 */
export class Direction {
  private readonly queue: Piece[] = []
  private head = 0
  private queuedBytes = 0
  private armed = false
  private paused = false
  private waitingDrain = false
  /** Nothing more is taken in: the source ended or reset. */
  private ended = false
  /** Nothing more is written: the sink is gone. */
  private aborted = false

  constructor(
    private readonly from: Source,
    private readonly to: Sink,
    private readonly line: DelayLine,
    private readonly meter: DirectionMeter,
    private readonly context: DirectionContext,
  ) {}

  /** A chunk read from the source. */
  data(chunk: Buffer): void {
    if (this.ended || this.aborted) return
    const readMs = this.context.now()
    if (this.line.passThrough) {
      this.write(chunk, readMs, readMs)
    } else {
      this.line.admit(readMs, chunk.length, (offset, length, releaseMs) => {
        const data = offset === 0 && length === chunk.length ? chunk : chunk.subarray(offset, offset + length)
        this.queue.push({ kind: 'data', releaseMs, readMs, data })
      })
      this.queuedBytes += chunk.length
      this.arm()
    }
    this.flow()
  }

  /** The source half-closed (FIN): the sink is ended after everything read before it. */
  end(): void {
    this.close('end')
  }

  /** The source failed or was reset: the sink is reset after everything read before it. */
  reset(): void {
    this.close('reset')
  }

  /** The sink is gone: whatever is held is dropped and nothing more is written. */
  abort(): void {
    this.aborted = true
    this.queue.length = 0
    this.head = 0
    this.queuedBytes = 0
  }

  private close(kind: 'end' | 'reset'): void {
    if (this.ended || this.aborted) return
    this.ended = true
    const readMs = this.context.now()
    if (this.line.passThrough) {
      this.deliver({ kind, releaseMs: readMs, readMs })
      return
    }
    this.queue.push({ kind, releaseMs: this.line.admitEnd(readMs), readMs })
    this.arm()
  }

  private arm(): void {
    const next = this.queue[this.head]
    if (this.armed || next === undefined) return
    this.armed = true
    this.context.timer.at(next.releaseMs, this.release)
  }

  private readonly release = (): void => {
    this.armed = false
    const t = this.context.now()
    for (let next = this.queue[this.head]; next !== undefined && next.releaseMs <= t && !this.aborted; next = this.queue[this.head]) {
      this.head++
      this.deliver(next)
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    this.arm()
    this.flow()
  }

  private deliver(piece: Piece): void {
    if (this.aborted) return
    if (piece.kind === 'data') {
      this.queuedBytes -= piece.data.length
      this.write(piece.data, piece.readMs, piece.releaseMs)
    } else if (piece.kind === 'end') {
      if (!this.to.destroyed) this.to.end()
    } else {
      this.context.counters.resets++
      resetSink(this.to)
    }
  }

  private write(data: Buffer, readMs: number, dueMs: number): void {
    if (this.to.destroyed) return
    this.to.write(data)
    this.meter.record(readMs, dueMs, this.context.now(), data.length)
  }

  /**
   * Backpressure: the source is paused while this direction holds more than queueBytes or its
   * sink's buffer is full, and resumed once both have drained (the queue to half).
   */
  private readonly flow = (): void => {
    const sinkFull = this.to.writableNeedDrain && !this.to.destroyed
    if (sinkFull && !this.waitingDrain) {
      this.waitingDrain = true
      this.to.once('drain', () => {
        this.waitingDrain = false
        this.flow()
      })
    }
    if (!this.paused && (sinkFull || this.queuedBytes > this.context.queueBytes)) {
      this.paused = true
      this.context.counters.pauses++
      this.from.pause()
    } else if (this.paused && !sinkFull && this.queuedBytes <= this.context.queueBytes / 2) {
      this.paused = false
      this.from.resume()
    }
  }
}

/**
 * Resets a socket; one whose FIN already left cannot send an RST any more (libuv refuses), so
 * it is simply closed.
 */
export function resetSink(sink: Sink & { readonly connecting?: boolean }): void {
  if (sink.destroyed) return
  if (sink.writableEnded || sink.connecting === true) sink.destroy()
  else sink.resetAndDestroy()
}

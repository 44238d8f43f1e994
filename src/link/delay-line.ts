/** One direction of a link: what every chunk going that way goes through. */
export interface OneWay {
  delayMs: number
  jitterMs: number
  /** undefined: no limit, a chunk is never cut or queued for the wire. */
  bitsPerSec: number | undefined
}

/** Told each piece of a chunk the line carries: its place in the chunk and when it may leave. */
export type EmitPiece = (offset: number, length: number, releaseMs: number) => void

/**
 * When each chunk of one direction may leave, as on one real path: first it waits its turn
 * for the wire and spends bytes·8/bandwidth on it (so queueing shows up as latency), then it
 * travels delay ± jitter, and it never overtakes what was read before it:
 *
 *   wireDone = max(arrival, previous wireDone) + bytes·8 / bandwidth
 *   release  = max(wireDone + delay + jitter, previous release)
 *
 * Pure: it reads no clock and starts no timer, so it can be checked in fake time.
 */
export class DelayLine {
  private lastReleaseMs = Number.NEGATIVE_INFINITY
  private wireFreeMs = Number.NEGATIVE_INFINITY

  /**
   * @param notBeforeMs nothing is taken as arriving earlier than this (a connection's
   *   handshake: the client could not have sent before its SYN-ACK came back).
   */
  constructor(
    private readonly way: OneWay,
    private readonly random: () => number,
    private readonly segmentBytes: number,
    private readonly notBeforeMs: number = Number.NEGATIVE_INFINITY,
  ) {}

  /** Whether a chunk leaves the moment it arrives (no delay, jitter, bandwidth or handshake to wait for). */
  get passThrough(): boolean {
    return (
      this.way.delayMs === 0 &&
      this.way.jitterMs === 0 &&
      this.way.bitsPerSec === undefined &&
      this.notBeforeMs === Number.NEGATIVE_INFINITY
    )
  }

  /**
   * A chunk of `bytes` read at `arrivalMs`: without a bandwidth limit one piece, the whole
   * chunk; with one, pieces of at most segmentBytes, each with its own time on the wire.
   */
  admit(arrivalMs: number, bytes: number, emit: EmitPiece): void {
    const arrival = Math.max(arrivalMs, this.notBeforeMs)
    const bitsPerSec = this.way.bitsPerSec
    if (bitsPerSec === undefined) {
      emit(0, bytes, this.release(arrival))
      return
    }
    for (let offset = 0; offset < bytes; offset += this.segmentBytes) {
      const length = Math.min(this.segmentBytes, bytes - offset)
      this.wireFreeMs = Math.max(arrival, this.wireFreeMs) + (length * 8 * 1000) / bitsPerSec
      emit(offset, length, this.release(this.wireFreeMs))
    }
  }

  /** A FIN or a reset read at `arrivalMs`: no payload, so no time on the wire, but it waits behind every byte before it. */
  admitEnd(arrivalMs: number): number {
    return this.release(Math.max(arrivalMs, this.notBeforeMs, this.wireFreeMs))
  }

  private release(sentMs: number): number {
    this.lastReleaseMs = Math.max(sentMs + this.travelMs(), this.lastReleaseMs)
    return this.lastReleaseMs
  }

  private travelMs(): number {
    const { delayMs, jitterMs } = this.way
    if (jitterMs === 0) return delayMs
    return Math.max(0, delayMs + (2 * this.random() - 1) * jitterMs)
  }
}

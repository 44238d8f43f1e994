/**
 * What a receiver knows of its path, to tell a dead connection (half-open: the peer gone
 * without a FIN, or a path that forwards nothing) from a slow one. Every transport has a beat,
 * something it hears at least that often while alive: an SSE stream's heartbeat comment, a
 * WebSocket's ping, a long poll's hold (a parked poll answers empty when it ends), a short
 * poll's answer. A receiver that hears nothing for its beat plus the path's round trip plus a
 * margin drops the connection and connects again.
 */
export interface SilencePolicy {
  /** The round trip the run expects between receivers and server: its emulated link's plus what it measured to the server. */
  rttMs: number
  /** How much each one-way delay varies around its mean (the link's jitter), ms. */
  jitterMs: number
  /** The receiver dropped a connection it found silent past its limit: the run counts it (faults measure detection with it). */
  onSilent?: () => void
}

/** A receiver told nothing of its path: loopback, steady. */
export const loopbackPath: SilencePolicy = { rttMs: 0, jitterMs: 0 }

/** The least margin: timers on a busy 2-core machine run a few ms late, at times tens. */
export const minMarginMs = 50

/**
 * Allowance for timers that fire late (the sender's and the receiver's, on a loaded machine) and
 * for a varying path: a tenth of the beat, at least `minMarginMs`, plus the path's jitter each way.
 */
export function silenceMarginMs(beatMs: number, path: SilencePolicy): number {
  return Math.max(minMarginMs, beatMs / 10) + 2 * path.jitterMs
}

/**
 * A stream the server beats every `beatMs` on a steady path: bytes arrive at least that often,
 * whatever the round trip, so past the beat plus the margin without a byte it is dead.
 */
export function streamSilenceLimitMs(beatMs: number, path: SilencePolicy): number {
  return beatMs + silenceMarginMs(beatMs, path)
}

/**
 * When a poll is overdue: the server answers within `holdMs` of receiving it (a long poll's
 * hold; 0 for a short poll, answered at once), so it is overdue once the hold, a round trip and
 * the margin (taken on `beatMs`, the transport's beat) have passed since it was written. The
 * round trip is the path's, or, when polls are answered at once and so measure it, the
 * retransmission timeout TCP would use (RFC 6298: srtt + 4·rttvar) when larger: a server slow
 * under load is not a dead path. A new connection's first poll gets at least TCP's initial
 * timeout (1 s), for the handshakes and a cold server. After an overdue poll the allowance past
 * the hold doubles until one is answered, as TCP backs off its timer.
 */
export class AnswerDeadline {
  private backoff = 1
  private fresh = true
  private srttMs = Number.NaN
  private rttvarMs = 0

  constructor(
    private readonly holdMs: number,
    private readonly beatMs: number,
    private readonly path: SilencePolicy,
    private readonly handshakeRtts: number,
  ) {}

  /** The deadline of the poll written next, in ms from its writing. */
  nextMs(): number {
    const margin = silenceMarginMs(this.beatMs, this.path)
    const allowance = this.fresh
      ? Math.max(initialAllowanceMs, (1 + this.handshakeRtts) * this.path.rttMs + margin)
      : this.roundTripMs() + margin
    return this.holdMs + this.backoff * allowance
  }

  /** The round trip an answered poll is allowed: the path's, or the measured timeout when larger. */
  roundTripMs(): number {
    const measured = Number.isNaN(this.srttMs) ? 0 : this.srttMs + 4 * this.rttvarMs
    return Math.max(this.path.rttMs, measured)
  }

  /** A poll was answered: the connection is up and the path alive; `roundTripMs` when it was answered at once (a short poll). */
  answered(roundTripMs?: number): void {
    this.backoff = 1
    this.fresh = false
    if (roundTripMs === undefined || !Number.isFinite(roundTripMs)) return
    if (Number.isNaN(this.srttMs)) {
      this.srttMs = roundTripMs
      this.rttvarMs = roundTripMs / 2
      return
    }
    this.rttvarMs = 0.75 * this.rttvarMs + 0.25 * Math.abs(this.srttMs - roundTripMs)
    this.srttMs = 0.875 * this.srttMs + 0.125 * roundTripMs
  }

  /** A poll failed, its connection with it: the next goes on a new one; overdue, it gets more time. */
  failed(overdue: boolean): void {
    this.fresh = true
    if (overdue) this.backoff = Math.min(this.backoff * 2, maxBackoff)
  }
}

/** TCP's initial retransmission timeout (RFC 6298 2.1): what a connection's first poll is allowed at least. */
export const initialAllowanceMs = 1000

const maxBackoff = 64

/** The handshakes before a request on a new connection to `origin`: TCP's, and TLS 1.3's over https. */
export function handshakeRttsOf(origin: string): number {
  return origin.startsWith('https:') ? 2 : 1
}

/**
 * Calls `onSilent` once nothing was heard for `limitMs`: a timer armed for the moment the limit
 * would pass since the last thing heard, re-armed from there when something was heard since (one
 * timer per beat, not per byte). No watch without a finite, positive limit.
 */
export function watchSilence(limitMs: number, lastHeardMs: () => number, onSilent: () => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined
  const arm = (): void => {
    const dueInMs = lastHeardMs() + limitMs - Date.now()
    if (dueInMs <= 0) return onSilent()
    timer = setTimeout(arm, dueInMs)
    timer.unref()
  }
  if (Number.isFinite(limitMs) && limitMs > 0) arm()
  return { stop: () => clearTimeout(timer) }
}

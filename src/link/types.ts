import type { Histogram } from '../metrics/histogram.js'

/**
 * What an emulated network link between the load generator and the server does to traffic, as
 * one real TCP path would: "up" is client → server, "down" is server → client.
 */
export interface LinkSpec {
  /** One-way delay added to every chunk going up, in ms. */
  delayUpMs: number
  /** One-way delay added to every chunk going down, in ms. */
  delayDownMs: number
  /**
   * One-way delay variation, in ms, drawn per chunk and per direction: each chunk's delay is
   * uniform in [delay − jitter, delay + jitter] (clamped at 0), as netem's default jitter. It
   * never reorders: a chunk leaves no earlier than the one read before it.
   */
  jitterMs: number
  /** Bits per second going up, per connection; undefined for no limit. */
  bandwidthUpBitsPerSec: number | undefined
  /** Bits per second going down, per connection; undefined for no limit. */
  bandwidthDownBitsPerSec: number | undefined
}

/** A TCP address: where the link forwards to, or where a client reaches the link. */
export interface LinkAddress {
  host: string
  port: number
}

/** What one direction of the link did, over the span a measurement covers. */
export interface DirectionMeasurements {
  /**
   * Delay the link added to each piece it forwarded, from the moment it was read to the moment
   * it was written on, in µs: the figure an achieved RTT is made of.
   */
  addedUs: Histogram
  /** How late each piece was written after the moment it was due, in µs: the emulator's own error. */
  lateUs: Histogram
  /** Payload bytes forwarded. */
  bytes: number
}

/** What a link measured since it started or since the last takeMeasurements(). */
export interface LinkMeasurements {
  up: DirectionMeasurements
  down: DirectionMeasurements
  /** Client connections accepted. */
  connections: number
  /** Of those, how many could not reach the target (the client saw its connection reset). */
  connectFailures: number
  /** Resets passed on, either way, after the data before them. */
  resets: number
  /** Times a sender was paused because its direction held queueBytes unsent. */
  pauses: number
  /** Length of the span measured, ms. */
  spanMs: number
}

/**
 * An emulated link, whatever does the emulating. The user-space proxy (this folder) is the one
 * implementation today; a kernel one (`tc netem` on a veth pair or loopback, where sch_netem
 * and root exist) would be a second, behind the same four members.
 */
export interface LinkEmulator {
  readonly spec: LinkSpec
  /** Where the emulation runs, for the settings line: `user-space, in process` or `user-space, pid 1234`. */
  readonly where: string
  /**
   * Starts forwarding to `target`: returns an address on 127.0.0.1 for clients to connect to
   * instead. Each accepted connection gets its own connection to the target and its own link.
   */
  open(target: LinkAddress): Promise<LinkAddress>
  /** What was measured since the start or the previous call; the next call starts afresh. */
  takeMeasurements(): Promise<LinkMeasurements>
  /** Closes every listener, resets every connection it opened, and ends its process if it has one. */
  close(): Promise<void>
}

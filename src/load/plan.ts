import type { BrowserOptions } from '../browser/session.js'
import type { ServerAccess } from '../client/server-access.js'
import type { ArrivalProcess } from '../pacing/arrivals.js'
import type { Stage } from '../pacing/stages.js'
import type { SendMode, Transport, TransportSettings } from '../transports/types.js'
import type { LoadPart } from './partition.js'
import type { Progress } from './progress.js'

/** The shape of the load, the same for every transport of a run: who sends what, how fast, for how long. */
export interface Workload {
  /** Groups of one sender and `receivers` receivers: userA/userB pairs by default. */
  pairs: number
  /** Mean messages per second per sender, as the report shows it; `arrival` decides when each is due. */
  ratePerSec: number
  /** How each sender's messages arrive: filled in where the run is resolved, never defaulted here. */
  arrival: ArrivalProcess
  durationMs: number
  warmupMs: number
  /** Bytes of data per message; with `payloadMaxBytes`, the smallest of a uniform range. */
  payloadBytes: number
  /** Receivers per group (default 1); more than one share a room and each gets every message. */
  receivers?: number
  /** Receivers connected for the whole run that are sent nothing (default 0). */
  idleReceivers?: number
  payloadMaxBytes?: number
  /** Seeds Poisson arrivals and payload sizes, so a run repeats exactly (default 1). */
  seed?: number
  /**
   * Ramps of the rate and the number of sending groups over the measured window, from
   * `arrival`'s rate and `pairs` (which hold during warm-up); `durationMs` is their total. Every
   * group ever active is connected before the run; one outside the active count sends nothing.
   */
  stages?: readonly Stage[]
}

/**
 * One transport's load: the workload, and where and how to deliver it. Everything here can
 * cross to a worker process (the transport then goes by name): nothing about the server's own
 * set-up (its limits, its TLS key) or where processes are pinned. Built field by field
 * (workloadOf), never spread from the run's options.
 */
export interface LoadPlan extends Workload {
  transport: Transport
  settings: TransportSettings
  /** Server origin, e.g. `http://127.0.0.1:8080`. */
  origin: string
  /** Where receivers reach the server instead, when their path differs (faults/ puts its proxy there). */
  receiverOrigin?: string
  /**
   * The receivers' path as the run knows it: the round trip its link adds plus what it measured
   * to the server, and the link's jitter. Receivers tell a dead connection from a slow one by it
   * (client/silence.ts); loopback and steady when absent.
   */
  receiverPath?: { rttMs: number; jitterMs: number }
  /** With faults: when, in ms from the window's start, every receiver's connections are faulted (recovery is measured from each). */
  faultsAtMs?: readonly number[]
  /** The certificate to trust (https) and the token to send, when the server needs them. */
  access?: ServerAccess
  /** Prefix of every user id, so runs against a shared server never meet. */
  runId: string
  sendMode: SendMode
  /** The share of the run's groups and idle receivers to drive here (default: all of them). */
  part?: LoadPart
  /** Receivers in pages of a headless Chromium instead of Node clients (one generator process only). */
  browser?: BrowserOptions
}

/** Where the runner (or a worker's entry) joins a run. */
export interface LoadHooks {
  /** At the start and the end of the measured window: the runner reads the server's stats. */
  onWindowEdge?: (edge: 'start' | 'end') => void
  onProgress?: (progress: Progress) => void
  /**
   * Called once every user is open; resolves to when the schedule starts, on this process's
   * clock. Default: `startDelayMs` from now. Workers wait here for the run's common start.
   */
  startAt?: () => Promise<number>
  /** With `faultsAtMs`: the plan's fault number `index` is due now (the runner injects it). */
  onFault?: (index: number) => void
}

// Every field, named: a field added to Workload fails to compile here until it is carried.
const workloadFields: { [K in keyof Workload]-?: true } = {
  pairs: true,
  ratePerSec: true,
  arrival: true,
  durationMs: true,
  warmupMs: true,
  payloadBytes: true,
  receivers: true,
  idleReceivers: true,
  payloadMaxBytes: true,
  seed: true,
  stages: true,
}

/** The workload alone, out of anything that carries one (the run's options, a plan): only these fields are copied. */
export function workloadOf(from: Workload): Workload {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(workloadFields) as (keyof Workload)[]) if (from[key] !== undefined) out[key] = from[key]
  return out as unknown as Workload
}

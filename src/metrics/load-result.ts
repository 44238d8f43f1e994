import type { WireCounts } from '../client/wire.js'
import type { StageTarget } from '../pacing/ramps.js'
import type { ErrorTally } from './errors-tally.js'
import type { Recorded } from './recorder.js'

/** What the generator saw of one transport, raw: summarise.ts derives every figure from it. */
export interface LoadResult {
  recorded: Recorded
  /** userA's side during the measured window. */
  send: WireCounts
  /** userB's side during the measured window. */
  receive: WireCounts
  windowMs: number
  /** TCP connections opened over the whole run, set-up included. */
  connectionsTotal: number
  sendErrors: ErrorTally
  receiveErrors: ErrorTally
  /** The generator's own health during the window. */
  generatorCpuMs: number
  loopDelayP99Ms: number
  /** Receivers connected through the run, idle ones included. */
  receiversConnected: number
  /** The generator's resident memory before any user was opened and at the window's end. */
  generatorRssBeforeBytes: number
  generatorRssEndBytes: number
  /** Sockets the generator held open at the window's end, senders' and receivers'. */
  connectionsHeld: number
  /** With stages: the rate (null for bursts) and groups each stage ends at, in stage order. */
  stageTargets?: StageTarget[]
}

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
  /** With browser receivers: which browser, how they were spread over it, and its clock offset. */
  browser?: BrowserFacts
}

/** What a run with browser receivers says about the browser. */
export interface BrowserFacts {
  /** The browser's version, as it reports it. */
  browser: string
  /** Browser profiles opened (each has its own connections), pages over them, and how they were filled. */
  profiles: number
  pages: number
  pagesPerBrowser: number
  receiversPerPage: number
  /** The pages' clock minus the generator's (their median), how far the pages' offsets ranged, and the largest uncertainty. */
  clockOffsetMs: number
  clockOffsetSpreadMs: number
  clockUncertaintyMs: number
  /** The protocol the pages' document came over, as the page reads it (`h2`, `http/1.1`); several joined by `, ` if pages differed. */
  protocol?: string
}

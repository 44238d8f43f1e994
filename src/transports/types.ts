import type { FastifyPluginAsync } from 'fastify'
import type { Scheduler } from '../client/scheduler.js'
import type { ServerAccess } from '../client/server-access.js'
import type { SilencePolicy } from '../client/silence.js'
import type { Wire } from '../client/wire.js'
import type { Recipient } from '../protocol/messages.js'
import type { RouteOptions } from '../server/route-options.js'
import type { PageReceiver } from './page.js'
import type { PathDelays } from './path.js'
import type { Setting, SettingValues } from './setting.js'

export type { PageReceiver, PageReceiverContext, PageWindow } from './page.js'
export type { Setting, SettingValues, TransportSettings } from './setting.js'

/** How userA sends: POST /messages (every transport) or the transport's own channel (`socket`). */
export type SendMode = 'post' | 'socket'

/**
 * What every receiver gets, wherever it runs: in this process, in a load worker, or (next) in a
 * browser page. Nothing here assumes Node sockets or the generator's scheduler.
 */
export interface ReceiverContext<S extends SettingValues = SettingValues> {
  /** `http://127.0.0.1:port` (or `https://`), no trailing slash. */
  origin: string
  /** The certificate to trust and the token to send, when the server needs them. */
  access?: ServerAccess
  user: string
  /** Its transport's own settings, every one filled in. */
  settings: S
  /**
   * Where in its period a periodic client (a short-poll timer) ticks, as a share of the period
   * in [0, 1) of a grid anchored to the clock (tick k at phase·P + k·P). The generator sets it
   * from its sender's stagger plus an even spread (pacing/poll-phases.ts), so a run samples every
   * offset between sends and polls, for any pair count, instead of a few.
   */
  phase?: number
  /** Reports a failure after set-up (a dropped stream, an error status); the run counts them. */
  onError: (err: unknown) => void
}

/** What a client inside a Node load generator has besides: where to count its traffic, and the generator's time. */
export interface NodeClient {
  /** Counts requests, connections and bytes at this client's sockets. */
  wire: Wire
  /** Runs periodic work (a poll timer) on the generator's clock. */
  scheduler: Scheduler
  /** The generator's clock in ms: receipts are stamped with it, so they compare with scheduled sends. */
  now: () => number
  /** A receiver's path, to tell a dead connection from a slow one (loopback when absent), and where it reports one. */
  silence?: SilencePolicy
}

/** A receiver or sender of the Node load generator. */
export type ClientContext<S extends SettingValues = SettingValues> = ReceiverContext<S> & NodeClient

/**
 * One delivery: the message's data and when the receiver had it, in ms on the generator's clock.
 * A Node receiver stamps it with `now`; a receiver elsewhere (a browser page) stamps it on its
 * own clock and the generator corrects that by the offset it measured.
 */
export type OnData = (data: string, receivedMs: number) => void

/** userB's end: calls `onData` with each message, in the order the transport delivers. */
export interface Receiver {
  close(): Promise<void>
}

/** userA's end, when a transport sends over its own channel instead of POST /messages. */
/** When a message's bytes were written to the socket (generator's clock, ms), and whether it waited behind a full pipeline. */
export type Written = (writtenMs: number, queued: boolean) => void

export interface Sender {
  /**
   * Sends one message. A sender with `reportsWrites` calls `written` once the message is on the
   * socket, and the send lag is measured there; any other is taken to write it during the call.
   */
  send(recipient: Recipient, data: string, written?: Written): void
  readonly reportsWrites?: boolean
  close(): Promise<void>
}

/** What a transport needs and can do: read by the CLI, the run, capacity and scenario checks. */
export interface Capabilities {
  /**
   * How userA sends: always by POST /messages (`post`), or, when its setting `ownChannel` (post |
   * socket) says `socket`, on this transport's own connection through openSender.
   */
  readonly sends: 'post' | { readonly ownChannel: string }
  /** The setting a scenario may give a list of values for: one row per value (`short-polling@250ms`). */
  readonly sweeps?: string
  /**
   * The setting (ms) at which each receiver asks the server whatever arrives. A message may wait
   * that long (capacity warns when that reaches its SLO; a run waits twice it for stragglers),
   * and every receiver asks 1000/value times a second (a run warns when one generator cannot).
   */
  readonly pollsEvery?: string
  /** Whether its routes and receiver work over HTTP/2 (the coming --http2); WebSocket upgrades need HTTP/1.1. */
  readonly http2: 'supported' | 'unsupported'
  /** Whether a browser page can be its receiver: then the transport has a `pageReceiver`. */
  readonly browser: boolean
}

/**
 * One way for a server to push messages to a browser: its server routes, its client receiver,
 * its settings and what it can do, in one folder. A fifth transport is one folder and one line
 * in registry.ts.
 */
export interface Transport<S extends SettingValues = SettingValues> {
  /** URL prefix of its routes and its name on the command line and in files. */
  readonly name: string
  /** Its name in a sentence: `short polling`, `WebSocket`. */
  readonly title: string
  /** What it is, in one line, for --help and the README. */
  readonly description: string
  /** Fastify plugin mounted at `/<name>`. */
  readonly routes: FastifyPluginAsync<RouteOptions>
  /** Its own settings, in the order --help and files list them. */
  readonly settings: readonly Setting[]
  readonly capabilities: Capabilities
  openReceiver(ctx: ClientContext<S>, onData: OnData): Promise<Receiver>
  /** Its receiver as a browser page runs it (EventSource, WebSocket, fetch), when `capabilities.browser`. */
  readonly pageReceiver?: PageReceiver
  /** Present when userA can send over this transport's own connection (`capabilities.sends`). */
  openSender?(ctx: ClientContext<S>): Promise<Sender>
  /**
   * What theory says its latency should be under these settings (a sentence); with `path`, the
   * one-way delays of an emulated link, in its figures.
   */
  expectedLatency(settings: S, path?: PathDelays): string
  /**
   * The settings its receivers really use with these clients, when some cannot apply (a browser
   * does not pipeline); the row reports, and its theory uses, these. Absent: the settings as given.
   */
  settingsWith?(settings: S, clients: ClientKind): S
}

/** Who the receivers are and how they reach the server. */
export interface ClientKind {
  http2: boolean
  browser: boolean
}

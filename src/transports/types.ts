import type { FastifyPluginAsync } from 'fastify'
import type { Scheduler } from '../client/scheduler.js'
import type { ServerAccess } from '../client/server-access.js'
import type { Wire } from '../client/wire.js'
import type { Recipient } from '../protocol/messages.js'
import type { RouteOptions } from '../server/route-options.js'

/** How userA sends: POST /messages (every transport) or the transport's own socket. */
export type SendMode = 'post' | 'socket'

/** Per-transport settings of a run. */
export interface TransportSettings {
  /** Short polling: time between the starts of two polls (a fixed-rate timer). */
  pollIntervalMs: number
  /** Long polling: how long the server holds a poll that finds nothing. */
  longPollTimeoutMs: number
}

/** What a client side needs: where the server is, who it is, and where to count its traffic. */
export interface ClientContext {
  /** `http://127.0.0.1:port` (or `https://`), no trailing slash. */
  origin: string
  /** The certificate to trust and the token to send, when the server needs them. */
  access?: ServerAccess
  user: string
  wire: Wire
  scheduler: Scheduler
  settings: TransportSettings
  /**
   * Where in its period a periodic client (a short-poll timer) starts, as a share of the period
   * in [0, 1). The generator spreads these evenly over its users, so a run samples every offset
   * between sends and polls instead of a few random ones.
   */
  phase?: number
  /** Reports a failure after set-up (a dropped stream, an error status); the run counts them. */
  onError: (err: unknown) => void
}

/** userB's end: calls `onData` with each message's data, in the order the transport delivers. */
export interface Receiver {
  close(): Promise<void>
}

/** userA's end, when a transport sends over its own channel instead of POST /messages. */
export interface Sender {
  send(recipient: Recipient, data: string): void
  close(): Promise<void>
}

/**
 * One way for a server to push messages to a browser: its server routes and its client
 * receiver in one place. A fifth transport is one folder and one line in registry.ts.
 */
export interface Transport {
  /** URL prefix of its routes and its name on the command line. */
  readonly name: string
  /** What it is, in one line, for --help and the README. */
  readonly description: string
  /** Fastify plugin mounted at `/<name>`. */
  readonly routes: FastifyPluginAsync<RouteOptions>
  openReceiver(ctx: ClientContext, onData: (data: string) => void): Promise<Receiver>
  /** Present when userA can send over this transport's own connection (WebSocket). */
  openSender?(ctx: ClientContext): Promise<Sender>
  /** What theory says its latency should be under these settings (a sentence). */
  expectedLatency(settings: TransportSettings): string
}

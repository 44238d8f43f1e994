import { once } from 'node:events'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { Scheduler } from '../client/scheduler.js'
import { monotonicClock } from '../clock.js'
import { linkTuning } from '../config.js'
import { newConnectionContext, proxyConnection, type ConnectionContext } from './connection.js'
import { resetSink } from './direction.js'
import { zeroCounters } from './meter.js'
import type { LinkAddress, LinkEmulator, LinkMeasurements, LinkSpec } from './types.js'

export interface UserSpaceOptions {
  /** Seed of the jitter draws, so a run's link repeats exactly. @default 1 */
  seed?: number
}

/**
 * The user-space link: a TCP proxy on 127.0.0.1 that delays each direction of every
 * connection, in the process that creates it.
 *
 * Why user space is the default: it needs no root and no kernel module (this machine's kernel
 * has no sch_netem), it works per connection against any --target, local or not, without
 * touching the machine's interfaces, and it measures what it did (every piece's added delay),
 * so a run can say which RTT it achieved. Its costs: its own CPU (two extra socket reads and
 * writes per chunk), and timer granularity, which it meets by waiting the last 2 ms on the
 * event loop instead of setTimeout (as the generator's Scheduler does). It does not emulate
 * loss, TCP's congestion control or a bottleneck shared between connections: bandwidth is per
 * connection. A `tc netem` backend would be another LinkEmulator beside this one.
 */
export class UserSpaceLink implements LinkEmulator {
  readonly where = 'user-space, in process'
  private readonly scheduler = new Scheduler(monotonicClock, undefined, linkTuning.spinWindowMs)
  private readonly servers = new Set<Server>()
  private readonly context: ConnectionContext
  private spanStartMs = monotonicClock.now()
  private closed = false

  constructor(
    readonly spec: LinkSpec,
    { seed = 1 }: UserSpaceOptions = {},
  ) {
    this.context = newConnectionContext(spec, seed, this.scheduler)
  }

  async open(target: LinkAddress): Promise<LinkAddress> {
    if (this.closed) throw new Error('the link is closed')
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
      this.context.counters.connections++
      proxyConnection(client, target, this.context)
    })
    // A failed accept (EMFILE) must not end the process; the client sees its connection refused.
    server.on('error', () => {})
    this.servers.add(server)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return { host: '127.0.0.1', port: (server.address() as AddressInfo).port }
  }

  async takeMeasurements(): Promise<LinkMeasurements> {
    const t = monotonicClock.now()
    const { counters, meters } = this.context
    const taken = { up: meters.up.take(), down: meters.down.take(), ...counters, spanMs: t - this.spanStartMs }
    Object.assign(counters, zeroCounters())
    this.spanStartMs = t
    return taken
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.scheduler.stop()
    const closing = [...this.servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve())))
    // A reset, not a FIN: the path is gone, and no client should take it for a clean end.
    for (const socket of this.context.sockets) resetSink(socket)
    this.context.sockets.clear()
    await Promise.all(closing)
    this.servers.clear()
  }
}

import { once } from 'node:events'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { Scheduler } from '../client/scheduler.js'
import { monotonicClock } from '../clock.js'
import { linkTuning } from '../config.js'
import { newConnectionContext, proxyConnection, type ConnectionContext } from '../link/connection.js'
import { resetSink } from '../link/direction.js'
import type { LinkAddress, LinkSpec } from '../link/types.js'

/**
 * The receivers' path to the server: the link's own per-connection proxy (link/connection.ts,
 * the run's delays, or none), with two faults on top. `cut()` resets every connection open
 * now, both ways, as a path that died would; `stall(ms)` stops reading both sockets of every
 * connection open now, so nothing is forwarded either way and nothing is closed (the half-open
 * case: the endpoints' writes go on into the kernel's buffers), then reads again, as TCP does
 * when the path comes back. Connections opened during a stall are not stalled: the dead path is
 * the old one's (a NAT that forgot it), a new connection gets through.
 */
export class FaultProxy {
  private readonly scheduler = new Scheduler(monotonicClock, undefined, linkTuning.spinWindowMs)
  private readonly context: ConnectionContext
  private server: Server | undefined
  private readonly stallTimers = new Set<NodeJS.Timeout>()

  constructor(spec: LinkSpec, seed = 1) {
    this.context = newConnectionContext(spec, seed, this.scheduler)
  }

  /** Starts forwarding to `target`; the address on 127.0.0.1 receivers connect to instead. */
  async open(target: LinkAddress): Promise<LinkAddress> {
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => proxyConnection(client, target, this.context))
    server.on('error', () => {})
    this.server = server
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return { host: '127.0.0.1', port: (server.address() as AddressInfo).port }
  }

  /** Resets every connection open now, client side and server side: how many client connections were cut. */
  cut(): number {
    const sockets = [...this.context.sockets]
    for (const socket of sockets) resetSink(socket)
    return sockets.length / 2
  }

  /** Forwards nothing either way on every connection open now, for `ms`; then forwards again what is still open. */
  stall(ms: number): void {
    const stalled = [...this.context.sockets]
    for (const socket of stalled) socket.pause()
    const timer = setTimeout(() => {
      this.stallTimers.delete(timer)
      for (const socket of stalled) if (!socket.destroyed) socket.resume()
    }, ms)
    this.stallTimers.add(timer)
  }

  async close(): Promise<void> {
    this.scheduler.stop()
    for (const timer of this.stallTimers) clearTimeout(timer)
    this.stallTimers.clear()
    const closing = this.server ? new Promise<void>((resolve) => this.server!.close(() => resolve())) : Promise.resolve()
    for (const socket of this.context.sockets) resetSink(socket)
    this.context.sockets.clear()
    await closing
  }
}

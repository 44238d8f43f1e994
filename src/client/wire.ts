import type { Socket } from 'node:net'
import { buildConnector } from 'undici'
import { connectCounted } from './counted-socket.js'

/** What crossed the sockets of one side of the load generator. */
export interface WireCounts {
  /** HTTP requests started (a WebSocket upgrade counts as one). */
  requests: number
  /** TCP connections opened. */
  connections: number
  /** Bytes written by the generator: requests, upgrade, frames; headers and framing included. */
  bytesUp: number
  /** Bytes read by the generator: responses, events, frames; headers and framing included. */
  bytesDown: number
  /** Times a receiver connected again after its connection failed (or its poll failed). */
  reconnects?: number
}

/**
 * Counts requests, connections and bytes at the socket, never from payload sizes: each
 * socket's own bytesWritten and bytesRead include HTTP headers, chunk framing and WebSocket
 * frame headers.
 */
export class Wire {
  private readonly live = new Set<Socket>()
  private closedUp = 0
  private closedDown = 0
  requests = 0
  connections = 0
  reconnects = 0

  /**
   * The socket a client reads the server's answers from, once it is connected: the TCP socket,
   * or over TLS the TLS socket on top of it. Nothing here; a set-up probe (load/setup-probe.ts)
   * watches it for the first answer.
   */
  reading(_socket: Socket): void {}

  /** Starts counting a socket the generator opened. */
  track(socket: Socket): void {
    this.connections++
    this.live.add(socket)
    socket.once('close', () => {
      this.closedUp += socket.bytesWritten
      this.closedDown += socket.bytesRead
      this.live.delete(socket)
    })
  }

  /**
   * An undici connector that opens sockets as undici would, and tracks each one. Over TLS it
   * opens and tracks the TCP socket itself, trusting `ca`, so TLS records are counted. With
   * `http2` it offers only `h2` by ALPN over TLS, and in clear marks the socket `h2` so undici
   * speaks HTTP/2 with prior knowledge (h2c).
   */
  connector(ca?: string, http2 = false): buildConnector.connector {
    const connect = buildConnector({})
    return (options, callback) => {
      if (options.protocol === 'https:') return this.connectTls(options, callback, ca, http2)
      connect(options, (err, socket) => {
        if (err !== null) return callback(err, null)
        if (socket !== null) {
          this.track(socket)
          this.reading(socket)
        }
        // What undici's own `useH2c` does: the client reads the protocol from the socket.
        if (socket !== null && http2) Object.assign(socket, { alpnProtocol: 'h2' })
        callback(null, socket)
      })
    }
  }

  private connectTls(options: buildConnector.Options, callback: buildConnector.Callback, ca: string | undefined, http2: boolean): void {
    const socket = connectCounted(this, { hostname: options.hostname, port: Number(options.port) || 443, secure: true, ca, http2 })
    const failed = (err: Error): void => {
      socket.destroy()
      callback(err, null)
    }
    socket.once('error', failed)
    socket.once('secureConnect', () => {
      socket.off('error', failed)
      callback(null, socket)
    })
  }

  /** Sockets open now: the connections this side holds. */
  get openSockets(): number {
    return this.live.size
  }

  snapshot(): WireCounts {
    let bytesUp = this.closedUp
    let bytesDown = this.closedDown
    for (const socket of this.live) {
      bytesUp += socket.bytesWritten
      bytesDown += socket.bytesRead
    }
    return { requests: this.requests, connections: this.connections, bytesUp, bytesDown, reconnects: this.reconnects }
  }
}

export function subtractCounts(later: WireCounts, earlier: WireCounts): WireCounts {
  return {
    requests: later.requests - earlier.requests,
    connections: later.connections - earlier.connections,
    bytesUp: later.bytesUp - earlier.bytesUp,
    bytesDown: later.bytesDown - earlier.bytesDown,
    ...(later.reconnects === undefined ? {} : { reconnects: later.reconnects - (earlier.reconnects ?? 0) }),
  }
}

export function addCounts(a: WireCounts, b: WireCounts): WireCounts {
  return {
    requests: a.requests + b.requests,
    connections: a.connections + b.connections,
    bytesUp: a.bytesUp + b.bytesUp,
    bytesDown: a.bytesDown + b.bytesDown,
    ...(a.reconnects === undefined && b.reconnects === undefined ? {} : { reconnects: (a.reconnects ?? 0) + (b.reconnects ?? 0) }),
  }
}

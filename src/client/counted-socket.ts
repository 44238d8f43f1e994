import { isIP, connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { Wire } from './wire.js'

export interface SocketTarget {
  /** Host name or address; IPv6 with or without brackets. */
  hostname: string
  port: number
  secure: boolean
  /** Certificate to trust; the system's CAs when absent. */
  ca?: string | undefined
  /** Offer only `h2` by ALPN (HTTP/2 over TLS). */
  http2?: boolean
}

/**
 * Opens a TCP connection counted by `wire`, wrapped in TLS when `secure`. The TCP socket is
 * the one counted, so handshakes and TLS record headers are in the bytes, as they are on the
 * network; the TLS socket's own counters would see only plaintext.
 */
export function connectCounted(wire: Wire, target: SocketTarget): Socket {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1')
  const tcp = netConnect({ host, port: target.port })
  tcp.setNoDelay(true)
  wire.track(tcp)
  if (!target.secure) {
    wire.reading(tcp)
    return tcp
  }
  const tls = tlsConnect({
    socket: tcp,
    // The name checked against the certificate; SNI carries host names only (RFC 6066 §3).
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(target.ca !== undefined ? { ca: target.ca } : {}),
    ALPNProtocols: target.http2 === true ? ['h2'] : ['http/1.1'],
  })
  wire.reading(tls)
  return tls
}

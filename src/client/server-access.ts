import { Agent } from 'undici'
import { Wire } from './wire.js'

/** What the load generator needs to reach a server besides its origin. */
export interface ServerAccess {
  /** PEM certificate to trust over TLS, instead of the system's CAs. */
  ca?: string
  /** Bearer token sent on every request and WebSocket upgrade. */
  token?: string
  /** HTTP requests over HTTP/2 (`--http2`): ALPN `h2` over TLS, prior-knowledge h2c in clear. WebSockets stay on HTTP/1.1. */
  http2?: boolean
}

/** Headers that carry the token, when there is one. */
export function authHeaders(access: ServerAccess): Record<string, string> {
  return access.token === undefined ? {} : { authorization: `Bearer ${access.token}` }
}

/**
 * A dispatcher for the generator's own side requests (server stats, the reachability check,
 * room joins): it trusts `access.ca` and speaks HTTP/2 when `access.http2`, as the users do.
 */
export function accessAgent(access: ServerAccess = {}): Agent {
  const http2 = access.http2 === true
  return new Agent({ connect: new Wire().connector(access.ca, http2), ...(http2 ? { allowH2: true } : {}) })
}

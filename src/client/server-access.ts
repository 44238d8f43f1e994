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

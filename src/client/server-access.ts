/** What the load generator needs to reach a server besides its origin. */
export interface ServerAccess {
  /** PEM certificate to trust over TLS, instead of the system's CAs. */
  ca?: string
  /** Bearer token sent on every request and WebSocket upgrade. */
  token?: string
}

/** Headers that carry the token, when there is one. */
export function authHeaders(access: ServerAccess): Record<string, string> {
  return access.token === undefined ? {} : { authorization: `Bearer ${access.token}` }
}

import { Client, type Dispatcher } from 'undici'
import { authHeaders, type ServerAccess } from './server-access.js'
import type { Wire } from './wire.js'

/**
 * One keep-alive HTTP/1.1 connection to the server, counted by `wire`. Each user gets its
 * own, so requests of one user are never queued behind (or overtaken by) another's. Over
 * https it trusts `access.ca`; with a token, every request carries it.
 */
export function openHttpClient(origin: string, wire: Wire, holdMs = 0, access: ServerAccess = {}, pipelining = 1): Dispatcher {
  const client = new Client(origin, {
    connect: wire.connector(access.ca),
    pipelining,
    // A parked long poll answers only after its hold: allow for it before calling it stuck.
    headersTimeout: holdMs + 30_000,
    bodyTimeout: 0,
    keepAliveTimeout: 60_000,
  })
  const auth = authHeaders(access)
  if (Object.keys(auth).length === 0) return client
  return client.compose((dispatch) => (options, handler) => {
    const headers = { ...(options.headers as Record<string, string> | undefined), ...auth }
    return dispatch({ ...options, headers }, handler)
  })
}

/** GETs `path` and parses the JSON body; counts the request; a non-200 answer is an error. */
export async function getJson<T>(client: Dispatcher, wire: Wire, path: string): Promise<T> {
  wire.requests++
  const res = await client.request({ method: 'GET', path })
  if (res.statusCode !== 200) {
    const text = await res.body.text()
    throw new Error(`GET ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`)
  }
  return (await res.body.json()) as T
}

import { once } from 'node:events'
import { UserError } from '../errors.js'
import { startServer, stopWithin } from '../host/listen.js'
import { transports } from '../transports/registry.js'
import { limitsFrom } from './limit-options.js'
import { serverSecurity, type SecurityFlags } from './security-options.js'

const loopback = new Set(['127.0.0.1', '::1', 'localhost'])
/** A stopping server ends its streams, parked polls and sockets; whatever lingers past this is cut. */
const stopWithinMs = 900

export interface ServeFlags extends SecurityFlags {
  host: string
  port: number
  cors?: string[]
  [limit: string]: unknown
}

/** Runs the server in this process until SIGINT or SIGTERM. */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  if (!loopback.has(flags.host)) {
    if (flags.token === undefined) {
      throw new UserError(`--host ${flags.host}: a server reachable beyond this machine needs --token; add one or bind 127.0.0.1`)
    }
    process.stderr.write(`warning: --host ${flags.host} accepts messages from anyone who can reach this address and holds the token\n`)
  }
  const security = { ...(await serverSecurity(flags)), ...(flags.cors !== undefined ? { cors: flags.cors } : {}) }
  const server = await startServer({ host: flags.host, port: flags.port, limits: limitsFrom(flags), security })
  process.stderr.write(`transport-bench server on ${server.origin}: POST /messages, ${transports.map((t) => `/${t.name}`).join(', ')}\n`)
  // A certificate made just now exists nowhere else: print it, so a client can be told to trust it.
  if (security.tls !== undefined && flags.cert === undefined) {
    process.stderr.write('its certificate, made for this run, is on stdout; give it to run with --ca\n')
    process.stdout.write(security.tls.cert)
  }
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
  await stopWithin(server.app, stopWithinMs)
}

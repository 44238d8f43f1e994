import { once } from 'node:events'
import { startServer } from '../server/listen.js'
import { transports } from '../transports/registry.js'

const loopback = new Set(['127.0.0.1', '::1', 'localhost'])

export interface ServeFlags {
  host: string
  port: number
}

/** Runs the server in this process until SIGINT or SIGTERM. */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  if (!loopback.has(flags.host)) {
    process.stderr.write(`warning: --host ${flags.host} accepts messages from anyone who can reach this address\n`)
  }
  const server = await startServer({ host: flags.host, port: flags.port })
  process.stderr.write(`transport-bench server on ${server.origin}: POST /messages, ${transports.map((t) => `/${t.name}`).join(', ')}\n`)
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])
  await server.app.close()
}

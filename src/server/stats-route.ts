import type { FastifyPluginAsync } from 'fastify'
import type { RouteOptions } from '../transports/types.js'

/** What GET /stats reports: the server process's own resource use since it started. */
export interface ServerStats {
  cpuUserUs: number
  cpuSystemUs: number
  rssBytes: number
  /** Peak resident set size of the process so far. */
  maxRssBytes: number
  /** Messages evicted unread from full mailboxes. */
  dropped: number
  /** TCP connections accepted so far. */
  connectionsAccepted: number
  users: number
  /** SSE and WebSocket receivers cut off for leaving too much unread (slow consumers). */
  slowConsumersCut: number
}

/**
 * GET /stats: lets the runner take the server's CPU and memory at the edges of the measured
 * window, whether the server is embedded or reached with --target.
 */
export const statsRoute: FastifyPluginAsync<RouteOptions> = async (app, { hub }) => {
  let connectionsAccepted = 0
  app.server.on('connection', () => connectionsAccepted++)
  app.get('/stats', async (): Promise<ServerStats> => {
    const cpu = process.cpuUsage()
    return {
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      dropped: hub.dropped,
      connectionsAccepted,
      users: hub.users,
      slowConsumersCut: hub.slowConsumersCut,
    }
  })
}

import type { FastifyPluginAsync } from 'fastify'
import type { ServerStats } from '../protocol/stats.js'
import type { RouteOptions } from './route-options.js'

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
      instanceId: hub.instanceId,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      dropped: hub.dropped,
      connectionsAccepted,
      users: hub.users,
      slowConsumersCut: hub.slowConsumersCut,
      deadStreamsCut: hub.deadStreamsCut + hub.streams.superseded,
    }
  })
}

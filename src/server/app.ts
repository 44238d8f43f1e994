import fastifyWebsocket from '@fastify/websocket'
import Fastify, { type FastifyInstance } from 'fastify'
import { transports } from '../transports/registry.js'
import { Hub } from './hub.js'
import { defaultLimits, type ServerLimits } from './limits.js'
import { messagesRoute } from './messages-route.js'
import { roomsRoute } from './rooms-route.js'
import { statsRoute } from './stats-route.js'

/**
 * The benchmark server: POST /messages, POST /rooms/:room/members, GET /stats, and every registered transport under
 * `/<name>`, all on one port. Nothing is listening yet; the caller decides where.
 */
export async function buildServer(limits: ServerLimits = defaultLimits): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    // Receivers hold connections open for the whole run; don't let Node reap them.
    keepAliveTimeout: 120_000,
    requestTimeout: 0,
    // User ids may be up to 128 characters (schemas.ts); Fastify's default stops at 100.
    routerOptions: { maxParamLength: 256 },
    // Unknown fields are an error, not silently dropped; coercion stays on for query strings.
    ajv: { customOptions: { removeAdditional: false } },
  })
  const hub = new Hub({ maxMessages: limits.mailboxMaxMessages, maxBytes: limits.mailboxMaxBytes })
  await app.register(fastifyWebsocket, { options: { maxPayload: limits.wsMaxPayloadBytes, perMessageDeflate: false } })
  await app.register(messagesRoute, { hub, limits })
  await app.register(roomsRoute, { hub, limits })
  await app.register(statsRoute, { hub, limits })
  for (const transport of transports) {
    await app.register(transport.routes, { prefix: `/${transport.name}`, hub, limits })
  }
  return app
}

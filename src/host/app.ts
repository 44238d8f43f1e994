import fastifyWebsocket from '@fastify/websocket'
import Fastify, { type FastifyInstance } from 'fastify'
import { limitConnections } from '../server/connection-limit.js'
import { Hub } from '../server/hub.js'
import { defaultLimits, type ServerLimits } from '../server/limits.js'
import { messagesRoute } from '../server/messages-route.js'
import { checkOrigins } from '../server/origins.js'
import { roomsRoute } from '../server/rooms-route.js'
import { requireToken, type ServerSecurity } from '../server/security.js'
import { statsRoute } from '../server/stats-route.js'
import { transports } from '../transports/registry.js'

/**
 * The benchmark server: POST /messages, POST /rooms/:room/members, GET /stats, and every
 * registered transport under `/<name>`, all on one port, over HTTPS when `security.tls` is
 * given. Nothing is listening yet; the caller decides where.
 */
export async function buildServer(limits: ServerLimits = defaultLimits, security: ServerSecurity = {}): Promise<FastifyInstance> {
  // Node's own guards: a head too large is answered 431; one that never ends, 408.
  const nodeOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: limits.headersCheckIntervalMs,
  }
  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    ...(security.tls
      ? { https: { ...nodeOptions, cert: security.tls.cert, key: security.tls.key, handshakeTimeout: limits.headersTimeoutMs } }
      : { http: nodeOptions }),
    // Receivers hold connections open for the whole run; don't let Node reap them.
    keepAliveTimeout: 120_000,
    requestTimeout: 0,
    // User ids may be up to 128 characters (schemas.ts); Fastify's default stops at 100.
    routerOptions: { maxParamLength: 256 },
    // Unknown fields are an error, not silently dropped; coercion stays on for query strings.
    ajv: { customOptions: { removeAdditional: false } },
  })
  limitConnections(app, limits.maxConnections, security.tls !== undefined)
  checkOrigins(app, security.cors ?? [])
  if (security.token !== undefined) requireToken(app, security.token)
  const hub = new Hub({ maxMessages: limits.mailboxMaxMessages, maxBytes: limits.mailboxMaxBytes }, limits.maxStreamsPerUser)
  await app.register(fastifyWebsocket, { options: { maxPayload: limits.wsMaxPayloadBytes, perMessageDeflate: false } })
  await app.register(messagesRoute, { hub, limits })
  await app.register(roomsRoute, { hub, limits })
  await app.register(statsRoute, { hub, limits })
  for (const transport of transports) {
    await app.register(transport.routes, { prefix: `/${transport.name}`, hub, limits })
  }
  return app
}

import fastifyWebsocket from '@fastify/websocket'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { instanceHeader, isCursorText } from '../protocol/schemas.js'
import { limitConnections } from '../server/connection-limit.js'
import { Hub } from '../server/hub.js'
import { defaultLimits, type ServerLimits } from '../server/limits.js'
import { messagesRoute } from '../server/messages-route.js'
import { checkOrigins } from '../server/origins.js'
import { drainRefusedBodies } from '../server/refused-body.js'
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
  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    ...serverKind(limits, security),
    // Receivers hold connections open for the whole run; don't let Node reap them.
    keepAliveTimeout: 120_000,
    // Time to receive a whole request, body included (Node wants it no shorter than the headers'
    // timeout). It ends when the request has arrived: held answers and streams are not bounded.
    requestTimeout: Math.max(limits.bodyTimeoutMs, limits.headersTimeoutMs),
    // User ids may be up to 128 characters (schemas.ts); Fastify's default stops at 100.
    routerOptions: { maxParamLength: 256 },
    // Unknown fields are an error, not silently dropped; coercion stays on for query strings.
    ajv: { customOptions: { removeAdditional: false, formats: { cursor: { type: 'string', validate: isCursorText } } } },
    // The routes are written against Node's HTTP/1 types; over HTTP/2 they get its compatibility API.
  } as FastifyServerOptions) as unknown as FastifyInstance
  limitConnections(app, limits.maxConnections, security.tls !== undefined)
  checkOrigins(app, security.cors ?? [])
  if (security.token !== undefined) requireToken(app, security.token)
  drainRefusedBodies(app)
  const hub = new Hub(
    { maxMessages: limits.mailboxMaxMessages, maxBytes: limits.mailboxMaxBytes, resumeWindowMs: limits.resumeWindowMs },
    limits.maxStreamsPerUser,
  )
  // Every answer names this instance, upgrades included, so a client knows whose ids it holds.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header(instanceHeader, hub.instanceId)
    return payload
  })
  await app.register(fastifyWebsocket, {
    options: { maxPayload: limits.wsMaxPayloadBytes, perMessageDeflate: false },
    // On close, every socket is told the server is going away (1001), not just dropped.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down')
      this.websocketServer.close()
      done()
    },
  })
  app.websocketServer.on('headers', (headers: string[]) => headers.push(`${instanceHeader}: ${hub.instanceId}`))
  await app.register(messagesRoute, { hub, limits })
  await app.register(roomsRoute, { hub, limits })
  await app.register(statsRoute, { hub, limits })
  for (const transport of transports) {
    await app.register(transport.routes, { prefix: `/${transport.name}`, hub, limits })
  }
  return app
}

/**
 * HTTP/1.1 (over TLS when `security.tls`), or with `security.http2` HTTP/2: over TLS offered by
 * ALPN as `h2` beside `http/1.1` (so WebSocket upgrades still work on the same port), in clear as
 * prior-knowledge h2c only (no HTTP/1.1 on that port, so no WebSocket).
 */
function serverKind(limits: ServerLimits, security: ServerSecurity): Record<string, unknown> {
  // Node's own guards: a head too large is answered 431; one that never ends, 408.
  const nodeOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: limits.headersCheckIntervalMs,
  }
  const tls = security.tls && { cert: security.tls.cert, key: security.tls.key, handshakeTimeout: limits.headersTimeoutMs }
  if (security.http2 === true) {
    // A header block over the limit resets the stream (HTTP/2 has no 431); an idle session lasts as long as a keep-alive.
    const settings = { maxHeaderListSize: limits.maxHeaderBytes }
    const http2 = { http2: true, http2SessionTimeout: 120_000, forceCloseConnections: true }
    return tls ? { ...http2, https: { ...nodeOptions, ...tls, settings, allowHTTP1: true } } : { ...http2, http: { settings } }
  }
  return tls ? { https: { ...nodeOptions, ...tls } } : { http: nodeOptions }
}

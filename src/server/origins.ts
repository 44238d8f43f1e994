import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** `*` (any origin, for a lab) or exact origins (`https://app.example:8443`) a browser page may call the server from. */
export type AllowedOrigins = readonly string[]

/** What a preflight allows: the methods and headers the protocol uses, cached by the browser this many seconds. */
const preflight = {
  methods: 'GET, POST, OPTIONS',
  headers: 'authorization, content-type, last-event-id',
  maxAgeSeconds: '600',
}

/**
 * Browser origins. A request without an `Origin` header (every non-browser client) passes
 * untouched. One from the server's own origin passes. One from an origin in `allowed` (or any,
 * with `*`) passes and is answered with `Access-Control-Allow-Origin`, and its preflight
 * (`OPTIONS` with `Access-Control-Request-Method`) is answered 204. Any other origin is answered
 * 403 on every route, WebSocket upgrades included: a page elsewhere can neither read nor publish
 * (no cross-site WebSocket hijacking, no cross-site form posts). Registered before the token
 * check, so a preflight (which never carries credentials) is answered and a 401 is readable.
 */
export function checkOrigins(app: FastifyInstance, allowed: AllowedOrigins): void {
  const any = allowed.includes('*')
  const listed = new Set(allowed)
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin
    if (origin === undefined) return
    const permitted = any || listed.has(origin)
    if (!permitted && origin !== ownOrigin(req)) return refuse(reply, origin)
    if (permitted) {
      // On the raw response, so a hijacked one (the event stream) carries it too.
      reply.raw.setHeader('access-control-allow-origin', any ? '*' : origin)
      if (!any) reply.raw.setHeader('vary', 'Origin')
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      await reply
        .code(204)
        .header('access-control-allow-methods', preflight.methods)
        .header('access-control-allow-headers', preflight.headers)
        .header('access-control-max-age', preflight.maxAgeSeconds)
        .send()
    }
  })
}

/** The origin a page served by this server has: its scheme and the Host it was reached at. */
function ownOrigin(req: FastifyRequest): string | undefined {
  // Fastify's host is the Host header, or :authority over HTTP/2.
  return req.host === '' ? undefined : `${req.protocol}://${req.host.toLowerCase()}`
}

async function refuse(reply: FastifyReply, origin: string): Promise<void> {
  await reply.code(403).send({
    error: 'Forbidden',
    message: `origin ${origin.slice(0, 200)} is not allowed; start the server with --cors ${origin.slice(0, 200)} (or --cors '*' in a lab)`,
  })
}

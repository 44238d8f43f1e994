import type { FastifyInstance } from 'fastify'
import { createHash, timingSafeEqual } from 'node:crypto'
import type { TlsCertificate } from '../tls/certificate.js'
import type { AllowedOrigins } from './origins.js'

/** How clients must reach the server: over TLS with this certificate, with this bearer token, from these browser origins. */
export interface ServerSecurity {
  tls?: TlsCertificate
  token?: string
  /** Origins besides its own whose pages may call it (`serve --cors`); `*` for any. */
  cors?: AllowedOrigins
  /** Serve HTTP/2 (`--http2`): ALPN `h2` beside `http/1.1` over TLS, prior-knowledge h2c in clear. */
  http2?: boolean
}

/**
 * The query parameter that carries the token where a browser cannot set `Authorization`
 * (EventSource, WebSocket): RFC 6750's `access_token`.
 */
export const tokenQueryParameter = 'access_token'

/**
 * Answers 401 to any request, WebSocket upgrades included, that carries neither
 * `Authorization: Bearer <token>` nor `?access_token=<token>`. Compared in constant time
 * (digests of equal length, whatever was given), so the token cannot be guessed byte by byte
 * from response times. The parameter is taken out of the query before the routes see it, and
 * the token is never written anywhere (the server does not log requests).
 */
export function requireToken(app: FastifyInstance, token: string): void {
  const expected = digest(token)
  app.addHook('onRequest', async (req, reply) => {
    const query = req.query as Record<string, unknown>
    const fromQuery = query[tokenQueryParameter]
    delete query[tokenQueryParameter]
    const header = req.headers.authorization
    const given = typeof fromQuery === 'string' ? fromQuery : header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({
        error: 'Unauthorized',
        message: `this server needs Authorization: Bearer <token> (or ?${tokenQueryParameter}=<token> from a browser); pass the token with --token`,
      })
  })
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

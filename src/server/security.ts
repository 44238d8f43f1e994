import type { FastifyInstance } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import type { TlsCertificate } from '../tls/certificate.js'

/** How clients must reach the server: over TLS with this certificate, and with this bearer token. */
export interface ServerSecurity {
  tls?: TlsCertificate
  token?: string
}

/**
 * Answers 401 to any request, WebSocket upgrades included, that does not carry
 * `Authorization: Bearer <token>`. Compared in constant time, so the token cannot be guessed
 * byte by byte from response times.
 */
export function requireToken(app: FastifyInstance, token: string): void {
  const expected = Buffer.from(`Bearer ${token}`)
  app.addHook('onRequest', async (req, reply) => {
    const given = Buffer.from(req.headers.authorization ?? '')
    if (given.length === expected.length && timingSafeEqual(given, expected)) return
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: 'Unauthorized', message: 'this server needs Authorization: Bearer <token>; pass the token with --token' })
  })
}

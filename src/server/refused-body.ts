import type { FastifyInstance } from 'fastify'

/** Answers that refuse a request's body: too large, of a type not taken, or not parsed. */
const refusals = new Set([400, 413, 415])

/**
 * Lets the client read why its body was refused. Fastify answers such a request before the body
 * has arrived and asks for the connection to close; closing a socket whose client is still
 * sending resets it, and the reset can destroy the answer before the client reads it. Kept
 * open instead, Node reads the rest of the body and discards it (bounded by the request
 * timeout, `--body-timeout`), so the answer always arrives and the connection can be reused.
 */
export function drainRefusedBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (refusals.has(reply.statusCode) && !req.raw.complete && reply.getHeader('connection') === 'close') reply.removeHeader('connection')
    return payload
  })
}

import type { FastifyPluginAsync } from 'fastify'
import { cursorQuery, userParams, type CursorQuery, type UserParams } from '../../protocol/schemas.js'
import type { Entry } from '../../server/mailbox.js'
import type { RouteOptions } from '../../server/route-options.js'
import { takeStreamSlot } from '../../server/stream-slots.js'
import { encodeEvent } from './event-stream.js'

const cursorText = /^\d{1,16}$/

/**
 * GET /sse/:user: one long text/event-stream response. Each message is an event with an
 * `id:`; a client that reconnects with Last-Event-ID (or ?after=) resumes after it.
 */
export const sseRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub, limits }) => {
  app.get<{ Params: UserParams; Querystring: CursorQuery }>(
    '/:user',
    { schema: { params: userParams, querystring: cursorQuery }, preHandler: takeStreamSlot(hub.streams) },
    (req, reply) => {
      const lastEventId = req.headers['last-event-id']
      if (
        lastEventId !== undefined &&
        (typeof lastEventId !== 'string' || !cursorText.test(lastEventId) || !Number.isSafeInteger(Number(lastEventId)))
      ) {
        return reply.code(400).send({ error: 'Bad Request', message: 'Last-Event-ID must be a message id (digits)' })
      }
      const after = lastEventId === undefined ? (req.query.after ?? 0) : Number(lastEventId)
      const box = hub.mailbox(req.params.user)
      const res = reply.raw
      reply.hijack()
      // HTTP/2 forbids connection-specific headers: its streams share one connection anyway.
      const keepAlive = req.raw.httpVersionMajor >= 2 ? {} : { connection: 'keep-alive' }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...keepAlive })
      res.flushHeaders()

      const push = ({ id, data }: Entry): boolean => {
        if (res.destroyed) return false
        // A receiver that stops reading must not grow the server without bound. It cannot read
        // a reason either, so the cut is counted in GET /stats instead.
        if (res.writableLength > limits.slowConsumerMaxBufferedBytes) {
          hub.slowConsumersCut++
          res.destroy()
          return false
        }
        res.write(encodeEvent(id, data))
        return true
      }
      // Close comes once; `on` spares the wrapper `once` would keep for the stream's life.
      res.on('close', box.follow(after, push))
    },
  )
}

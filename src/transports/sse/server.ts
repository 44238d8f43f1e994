import type { FastifyPluginAsync } from 'fastify'
import type { ServerResponse } from 'node:http'
import { cursorOf, cursorQuery, isCursorText, userParams, type CursorQuery, type UserParams } from '../../protocol/schemas.js'
import type { Entry } from '../../server/mailbox.js'
import type { RouteOptions } from '../../server/route-options.js'
import { takeStreamSlot } from '../../server/stream-slots.js'
import { encodeEvent } from './event-stream.js'

/**
 * GET /sse/:user: one long text/event-stream response. Each message is an event with an
 * `id:`; a client that reconnects with Last-Event-ID (or ?after=) resumes after it.
 */
export const sseRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub, limits }) => {
  const open = new Set<ServerResponse>()
  // A server that stops ends its streams (the client reconnects with its Last-Event-ID) instead
  // of waiting for clients that would never leave.
  app.addHook('preClose', (done) => {
    for (const res of open) res.end(() => res.socket?.end())
    done()
  })
  app.get<{ Params: UserParams; Querystring: CursorQuery }>(
    '/:user',
    { schema: { params: userParams, querystring: cursorQuery }, preHandler: takeStreamSlot(hub.streams) },
    (req, reply) => {
      const lastEventId = req.headers['last-event-id']
      if (lastEventId !== undefined && (typeof lastEventId !== 'string' || !isCursorText(lastEventId))) {
        return reply.code(400).send({ error: 'Bad Request', message: 'Last-Event-ID must be a message id (digits)' })
      }
      const after = cursorOf(lastEventId ?? req.query.after)
      const box = hub.mailbox(req.params.user)
      const res = reply.raw
      reply.hijack()
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
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
      open.add(res)
      res.on('close', () => open.delete(res))
    },
  )
}

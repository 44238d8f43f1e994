import type { FastifyPluginAsync } from 'fastify'
import { cursorOf, cursorQuery, pollReply, userParams, type CursorQuery, type PollReply, type UserParams } from '../../protocol/schemas.js'
import { sameInstance } from '../../server/instance.js'
import type { RouteOptions } from '../../server/route-options.js'

/** GET /short-polling/:user?after=N: whatever is after the cursor, at once (maybe nothing). */
export const shortPollingRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub }) => {
  app.get<{ Params: UserParams; Querystring: CursorQuery }>(
    '/:user',
    { schema: { params: userParams, querystring: cursorQuery, response: { 200: pollReply } }, preHandler: sameInstance(hub) },
    async (req): Promise<PollReply> => {
      const box = hub.mailbox(req.params.user)
      const after = cursorOf(req.query.after)
      box.ack(after)
      return { messages: box.after(after) }
    },
  )
}

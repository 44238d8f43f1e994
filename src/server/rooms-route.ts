import type { FastifyPluginAsync } from 'fastify'
import { userIdPattern } from '../protocol/schemas.js'
import type { RouteOptions } from './route-options.js'

interface RoomParams {
  room: string
}

interface JoinBody {
  user: string
}

/**
 * POST /rooms/:room/members `{"user"}`: the user joins the room, and every later message
 * addressed to the room lands in the user's mailbox too (fan-out).
 */
export const roomsRoute: FastifyPluginAsync<RouteOptions> = async (app, { hub }) => {
  app.post<{ Params: RoomParams; Body: JoinBody }>(
    '/rooms/:room/members',
    {
      schema: {
        params: { type: 'object', required: ['room'], properties: { room: { type: 'string', pattern: userIdPattern } } },
        body: {
          type: 'object',
          required: ['user'],
          additionalProperties: false,
          properties: { user: { type: 'string', pattern: userIdPattern } },
        },
        response: { 200: { type: 'object', properties: { members: { type: 'integer' } } } },
      },
    },
    async (req) => ({ members: hub.join(req.params.room, req.body.user) }),
  )
}

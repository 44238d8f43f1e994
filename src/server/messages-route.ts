import type { FastifyPluginAsync } from 'fastify'
import type { RouteOptions } from '../transports/types.js'
import { userIdPattern } from './schemas.js'

/** What userA sends: the recipient and opaque data, the same for every transport. */
export interface OutgoingMessage {
  to: string
  data: string
}

export const outgoingMessageSchema = {
  type: 'object',
  required: ['to', 'data'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', pattern: userIdPattern },
    data: { type: 'string' },
  },
} as const

/** POST /messages: userA's way in for every transport, so transports differ only in delivery. */
export const messagesRoute: FastifyPluginAsync<RouteOptions> = async (app, { hub }) => {
  app.post<{ Body: OutgoingMessage }>(
    '/messages',
    {
      schema: {
        body: outgoingMessageSchema,
        response: { 200: { type: 'object', properties: { id: { type: 'integer' } } } },
      },
    },
    async (req) => ({ id: hub.publish(req.body.to, req.body.data) }),
  )
}

import type { FastifyPluginAsync } from 'fastify'
import { outgoingMessageSchema, type OutgoingMessage } from '../protocol/messages.js'
import type { Hub } from './hub.js'
import type { RouteOptions } from './route-options.js'

/** Publishes to the user or the room; the user's message id, or the number of members reached. */
export function publish(hub: Hub, message: OutgoingMessage): { id: number } | { members: number } {
  return message.room === undefined
    ? { id: hub.publish(message.to, message.data) }
    : { members: hub.publishToRoom(message.room, message.data) }
}

/** POST /messages: userA's way in for every transport, so transports differ only in delivery. */
export const messagesRoute: FastifyPluginAsync<RouteOptions> = async (app, { hub }) => {
  app.post<{ Body: OutgoingMessage }>(
    '/messages',
    {
      schema: {
        body: outgoingMessageSchema,
        response: { 200: { type: 'object', properties: { id: { type: 'integer' }, members: { type: 'integer' } } } },
      },
    },
    async (req) => publish(hub, req.body),
  )
}

import type { FastifyPluginAsync } from 'fastify'
import type { RouteOptions } from '../transports/types.js'
import type { Hub } from './hub.js'
import { userIdPattern } from './schemas.js'

/** Where a message goes: one user's mailbox, or the mailbox of every member of a room. */
export type Recipient = { to: string; room?: undefined } | { room: string; to?: undefined }

/** What userA sends: the recipient and opaque data, the same for every transport. */
export type OutgoingMessage = Recipient & { data: string }

export const outgoingMessageSchema = {
  type: 'object',
  required: ['data'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', pattern: userIdPattern },
    room: { type: 'string', pattern: userIdPattern },
    data: { type: 'string' },
  },
  oneOf: [{ required: ['to'] }, { required: ['room'] }],
} as const

/** The JSON body of POST /messages, which is also a WebSocket sender's text frame. */
export function encodeOutgoing(recipient: Recipient, data: string): string {
  return JSON.stringify(recipient.room === undefined ? { to: recipient.to, data } : { room: recipient.room, data })
}

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

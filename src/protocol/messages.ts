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

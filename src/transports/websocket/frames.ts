import type { OutgoingMessage } from '../../protocol/messages.js'
import { userIdPattern } from '../../protocol/schemas.js'

const userId = new RegExp(userIdPattern)

/** Reads a sender's text frame; undefined unless it is `{"to": user, "data": string}` or `{"room": room, "data": string}`. */
export function parseOutgoing(text: string): OutgoingMessage | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { to, room, data } = value as Record<string, unknown>
  if (typeof data !== 'string') return undefined
  if (typeof to === 'string' && room === undefined) return userId.test(to) ? { to, data } : undefined
  if (typeof room === 'string' && to === undefined) return userId.test(room) ? { room, data } : undefined
  return undefined
}

import type { OutgoingMessage } from '../../server/messages-route.js'
import { userIdPattern } from '../../server/schemas.js'

const userId = new RegExp(userIdPattern)

/** Reads a sender's text frame; undefined when it is not `{"to": user, "data": string}`. */
export function parseOutgoing(text: string): OutgoingMessage | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { to, data } = value as Record<string, unknown>
  if (typeof to !== 'string' || !userId.test(to) || typeof data !== 'string') return undefined
  return { to, data }
}

export function encodeOutgoing(message: OutgoingMessage): string {
  return JSON.stringify(message)
}

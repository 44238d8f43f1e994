/** JSON schemas shared by the routes: Fastify validates input with them and answers 400. */

/** User ids travel in URLs: keep them to a safe alphabet and length. */
export const userIdPattern = '^[A-Za-z0-9_.-]{1,128}$'

export const userParams = {
  type: 'object',
  required: ['user'],
  properties: { user: { type: 'string', pattern: userIdPattern } },
} as const

export interface UserParams {
  user: string
}

const cursorDigits = /^[0-9]{1,16}$/

/**
 * Whether `text` is a cursor as the wire carries it: ASCII digits only (no sign, exponent,
 * hex prefix or space), at most 2^53−1. JavaScript's number parsing accepts far more
 * (`Infinity`, `0x10`, `1e3`, `+3`, the empty string as 0), so cursors are never coerced.
 */
export function isCursorText(text: string): boolean {
  return cursorDigits.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER
}

/** The cursor `text` stands for; the caller has checked it with isCursorText (the schema has). */
export function cursorOf(text: string | undefined): number {
  return text === undefined ? 0 : Number(text)
}

/**
 * A cursor: the id of the last message the receiver has; 0 for none. Checked as text with the
 * `cursor` format (isCursorText), which the server registers with its validator.
 */
export const cursorSchema = { type: 'string', format: 'cursor' } as const

/**
 * The server instance a cursor came from. Each server start picks a new id, sends it in every
 * answer's `instance-id` header (and in /stats) and refuses a cursor from another one.
 */
export const instanceSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const

/** The header every answer of the built-in server carries its instance id in. */
export const instanceHeader = 'instance-id'

/** The header an SSE head and a WebSocket 101 carry the server's heartbeat interval in (ms). */
export const heartbeatHeader = 'heartbeat-interval'

export const cursorQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { after: cursorSchema, instance: instanceSchema },
} as const

export interface CursorQuery {
  after?: string
  instance?: string
}

export const entrySchema = {
  type: 'object',
  required: ['id', 'data'],
  properties: { id: { type: 'integer' }, data: { type: 'string' } },
} as const

/** What a poll answers: the messages after the cursor, oldest first (maybe none). */
export const pollReply = {
  type: 'object',
  required: ['messages'],
  properties: { messages: { type: 'array', items: entrySchema } },
} as const

export interface PollReply {
  messages: { id: number; data: string }[]
}

export const errorReply = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const

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

/** A cursor: the id of the last message the receiver has; 0 for none. */
export const cursorSchema = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const

export const cursorQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { after: cursorSchema },
} as const

export interface CursorQuery {
  after?: number
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

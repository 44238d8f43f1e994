import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { cursorOf, cursorSchema, instanceSchema, pollReply, userParams, type UserParams } from '../../protocol/schemas.js'
import { sameInstance } from '../../server/instance.js'
import type { Entry, Mailbox } from '../../server/mailbox.js'
import type { RouteOptions } from '../../server/route-options.js'
import { PollLine, type Poll } from './watermark.js'

interface LongPollQuery {
  after?: string
  instance?: string
  timeout?: number
}

/**
 * GET /long-polling/:user?after=N&timeout=ms: answers at once when something is after the
 * cursor, else parks the request until a message arrives or the hold passes (then answers
 * empty). A message published between two polls waits in the mailbox for the next one, so
 * the re-poll gap loses nothing; several such messages ride one answer. Polls pipelined on one
 * HTTP/1.1 connection (`--long-poll-depth`) are answered in order from the connection's
 * watermark (watermark.ts), so none hands out what an earlier answer on it already carries.
 */
export const longPollingRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub, limits }) => {
  const parked = new Map<string, number>()
  /** Each HTTP/1.1 connection's polls, by user: kept only as long as the socket is. */
  const lines = new WeakMap<object, Map<string, PollLine>>()
  /** How to answer each parked poll now: a server that stops answers them all (empty) first. */
  const answerNow = new Set<() => void>()
  app.addHook('preClose', (done) => {
    for (const answer of answerNow) answer()
    done()
  })
  const query = {
    type: 'object',
    additionalProperties: false,
    properties: {
      after: cursorSchema,
      instance: instanceSchema,
      timeout: { type: 'integer', minimum: 0, maximum: limits.longPollMaxTimeoutMs },
    },
  } as const

  /** This user's line on the request's connection; over HTTP/2 a line of its own, as streams on one connection are not answered in order. */
  const lineOf = (req: IncomingMessage, user: string): PollLine => {
    if (req.httpVersionMajor !== 1) return new PollLine()
    let users = lines.get(req.socket)
    if (users === undefined) lines.set(req.socket, (users = new Map<string, PollLine>()))
    let line = users.get(user)
    if (line === undefined) users.set(user, (line = new PollLine()))
    return line
  }

  app.get<{ Params: UserParams; Querystring: LongPollQuery }>(
    '/:user',
    { schema: { params: userParams, querystring: query, response: { 200: pollReply } }, preHandler: sameInstance(hub) },
    (req, reply) => {
      const { user } = req.params
      const after = cursorOf(req.query.after)
      const box = hub.mailbox(user)
      // What the client has read frees the mailbox: its own cursor, never the connection's watermark.
      box.ack(after)
      const line = lineOf(req.raw, user)
      const send = (messages: Entry[]): void => {
        if (!reply.raw.destroyed && !reply.sent) void reply.send({ messages })
      }
      if (line.answerNow({ after, send }, box)) return reply
      const count = parked.get(user) ?? 0
      if (count >= limits.longPollMaxParked) {
        return reply
          .code(429)
          .send({ error: 'Too Many Requests', message: `at most ${limits.longPollMaxParked} parked long polls per user` })
      }
      parked.set(user, count + 1)
      const answer = park(
        box,
        line,
        after,
        req.query.timeout ?? Math.min(limits.longPollDefaultTimeoutMs, limits.longPollMaxTimeoutMs),
        req.raw,
        reply,
        () => {
          unpark(parked, user)
          answerNow.delete(answer)
        },
      )
      answerNow.add(answer)
      return reply
    },
  )
}

/**
 * Parks a poll on its line until the line answers it (a message beyond its cursor, in order),
 * or `holdMs` passes. Returns the function that answers it at once.
 */
function park(
  box: Mailbox,
  line: PollLine,
  after: number,
  holdMs: number,
  req: IncomingMessage,
  reply: FastifyReply,
  onDone: () => void,
): () => void {
  let done = false
  const leave = (): boolean => {
    if (done) return false
    done = true
    clearTimeout(timer)
    unsubscribe()
    onDone()
    return true
  }
  const poll: Poll = {
    after,
    send(messages) {
      if (leave() && !reply.raw.destroyed && !reply.sent) void reply.send({ messages })
    },
  }
  line.park(poll)
  const unsubscribe = box.subscribe(() => line.serve(box))
  const timer = setTimeout(() => line.answer(poll, box), holdMs)
  // A client that goes away frees its place at once instead of at the end of the hold. A
  // pipelined poll's response has no socket until the earlier ones are sent, so the request says it.
  const gone = (): void => {
    if (leave()) line.drop(poll)
  }
  req.once('close', gone)
  reply.raw.once('close', gone)
  return () => line.answer(poll, box)
}

function unpark(parked: Map<string, number>, user: string): void {
  const count = (parked.get(user) ?? 1) - 1
  if (count <= 0) parked.delete(user)
  else parked.set(user, count)
}

import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { cursorOf, cursorSchema, instanceSchema, pollReply, userParams, type UserParams } from '../../protocol/schemas.js'
import { sameInstance } from '../../server/instance.js'
import type { Mailbox } from '../../server/mailbox.js'
import type { RouteOptions } from '../../server/route-options.js'

interface LongPollQuery {
  after?: string
  instance?: string
  timeout?: number
}

/**
 * GET /long-polling/:user?after=N&timeout=ms: answers at once when something is after the
 * cursor, else parks the request until a message arrives or the hold passes (then answers
 * empty). A message published between two polls waits in the mailbox for the next one, so
 * the re-poll gap loses nothing; several such messages ride one answer.
 */
export const longPollingRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub, limits }) => {
  const parked = new Map<string, number>()
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

  app.get<{ Params: UserParams; Querystring: LongPollQuery }>(
    '/:user',
    { schema: { params: userParams, querystring: query, response: { 200: pollReply } }, preHandler: sameInstance(hub) },
    (req, reply) => {
      const { user } = req.params
      const after = cursorOf(req.query.after)
      const box = hub.mailbox(user)
      box.ack(after)
      const ready = box.after(after)
      if (ready.length > 0) return reply.send({ messages: ready })
      const count = parked.get(user) ?? 0
      if (count >= limits.longPollMaxParked) {
        return reply
          .code(429)
          .send({ error: 'Too Many Requests', message: `at most ${limits.longPollMaxParked} parked long polls per user` })
      }
      parked.set(user, count + 1)
      const answer = park(
        box,
        after,
        req.query.timeout ?? Math.min(limits.longPollDefaultTimeoutMs, limits.longPollMaxTimeoutMs),
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
 * Holds `reply` until the mailbox has something after `after`, or `holdMs` passes. Returns the
 * function that answers it at once.
 */
function park(box: Mailbox, after: number, holdMs: number, reply: FastifyReply, onDone: () => void): () => void {
  let done = false
  const finish = (): void => {
    if (done) return
    done = true
    clearTimeout(timer)
    unsubscribe()
    onDone()
    if (!reply.raw.destroyed && !reply.sent) void reply.send({ messages: box.after(after) })
  }
  const unsubscribe = box.subscribe(finish)
  const timer = setTimeout(finish, holdMs)
  // A client that goes away frees its place at once instead of at the end of the hold.
  reply.raw.once('close', finish)
  return finish
}

function unpark(parked: Map<string, number>, user: string): void {
  const count = (parked.get(user) ?? 1) - 1
  if (count <= 0) parked.delete(user)
  else parked.set(user, count)
}

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import {
  cursorOf,
  cursorQuery,
  heartbeatHeader,
  instanceHeader,
  instanceSchema,
  isCursorText,
  userParams,
  type CursorQuery,
  type UserParams,
} from '../../protocol/schemas.js'
import type { Hub } from '../../server/hub.js'
import { refuseOtherInstance } from '../../server/instance.js'
import type { Entry } from '../../server/mailbox.js'
import type { RouteOptions } from '../../server/route-options.js'
import { takeStreamSlot } from '../../server/stream-slots.js'
import { encodeEvent, parseEventId } from './event-stream.js'

const instanceText = new RegExp(instanceSchema.pattern)

type StreamRequest = FastifyRequest<{ Params: UserParams; Querystring: CursorQuery }>

/** What the server asks EventSource to wait before reconnecting (`retry:`), in ms. */
export const retryMs = 1000
const heartbeatLine = ':\n\n'

/** A stream that names where it resumes may take the slot of the user's oldest (see StreamSlots). */
const resumes = (req: StreamRequest): boolean => req.headers['last-event-id'] !== undefined || req.query.after !== undefined

/** Where a stream resumes: Last-Event-ID (`<instance>:<id>` as written, or bare digits) wins over `?after=&instance=`. */
function resumePoint(req: StreamRequest): { after: number; instance: string | undefined } | undefined {
  const lastEventId = req.headers['last-event-id']
  if (lastEventId === undefined) return { after: cursorOf(req.query.after), instance: req.query.instance }
  if (typeof lastEventId !== 'string') return undefined
  const { instance, id } = parseEventId(lastEventId)
  if (!isCursorText(id) || (instance !== undefined && !instanceText.test(instance))) return undefined
  return { after: cursorOf(id), instance }
}

/** A preHandler: a malformed Last-Event-ID is 400, one from another instance 409, before a stream slot is taken. */
function checkResume(hub: Hub) {
  return async (req: StreamRequest, reply: FastifyReply): Promise<void> => {
    const point = resumePoint(req)
    if (point === undefined) {
      await reply.code(400).send({ error: 'Bad Request', message: 'Last-Event-ID must be a message id (digits), or <instance>:<digits>' })
    } else if (point.instance !== undefined && point.instance !== hub.instanceId) {
      await refuseOtherInstance(reply, hub, point.instance)
    }
  }
}

/**
 * GET /sse/:user: one long text/event-stream response. Each message is an event with an
 * `id: <instance>:<id>`; a client that reconnects with that Last-Event-ID (or ?after=&instance=)
 * resumes after it, and what it had is acknowledged then.
 */
export const sseRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub, limits }) => {
  /** Open streams, each with the bytes its socket had handed to the kernel at the last heartbeat. */
  const open = new Map<ServerResponse, number>()
  // A server that stops ends its streams (the client reconnects with its Last-Event-ID) instead
  // of waiting for clients that would never leave.
  app.addHook('preClose', (done) => {
    clearInterval(heartbeat)
    for (const res of open.keys()) res.end(() => res.socket?.end())
    done()
  })
  // One timer for every stream: a comment line keeps proxies from timing the stream out and
  // lets the client see it is alive. A stream with bytes waiting that sent none in a whole
  // interval is dead (its peer takes nothing) and is cut, freeing its slot.
  const heartbeat = setInterval(() => {
    for (const [res, flushedBefore] of open) {
      const socket = res.socket
      if (socket === null) continue
      const flushed = socket.bytesWritten - socket.writableLength
      if (socket.writableLength > 0 && flushed === flushedBefore) {
        hub.deadStreamsCut++
        res.destroy()
        continue
      }
      open.set(res, flushed)
      res.write(heartbeatLine)
    }
  }, limits.heartbeatMs)
  heartbeat.unref()
  app.addHook('onClose', (_app, done) => {
    clearInterval(heartbeat)
    done()
  })
  const idPrefix = `${hub.instanceId}:`
  app.get<{ Params: UserParams; Querystring: CursorQuery }>(
    '/:user',
    { schema: { params: userParams, querystring: cursorQuery }, preHandler: [checkResume(hub), takeStreamSlot(hub.streams, resumes)] },
    (req, reply) => {
      const { after } = resumePoint(req)!
      const box = hub.mailbox(req.params.user)
      const res = reply.raw
      reply.hijack()
      // HTTP/2 forbids connection-specific headers: its streams share one connection anyway.
      const keepAlive = req.raw.httpVersionMajor >= 2 ? {} : { connection: 'keep-alive' }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        ...keepAlive,
        [instanceHeader]: hub.instanceId,
        [heartbeatHeader]: String(limits.heartbeatMs),
      })
      // The reconnection delay EventSource waits after the stream fails (browsers default to about 3 s).
      res.write(`retry: ${retryMs}\n\n`)

      const push = ({ id, data }: Entry): boolean => {
        if (res.destroyed) return false
        // A receiver that stops reading must not grow the server without bound. It cannot read
        // a reason either, so the cut is counted in GET /stats instead.
        if (res.writableLength > limits.slowConsumerMaxBufferedBytes) {
          hub.slowConsumersCut++
          res.destroy()
          return false
        }
        res.write(encodeEvent(idPrefix + id, data))
        return true
      }
      // Close comes once; `on` spares the wrapper `once` would keep for the stream's life.
      res.on('close', box.follow(after, push))
      open.set(res, -1)
      res.on('close', () => open.delete(res))
    },
  )
}

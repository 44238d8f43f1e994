import type { FastifyPluginAsync } from 'fastify'
import { WebSocket } from 'ws'
import { cursorOf, cursorQuery, heartbeatHeader, userParams, type CursorQuery, type UserParams } from '../../protocol/schemas.js'
import type { Hub } from '../../server/hub.js'
import { sameInstance } from '../../server/instance.js'
import type { Entry } from '../../server/mailbox.js'
import { publish } from '../../server/messages-route.js'
import type { RouteOptions } from '../../server/route-options.js'
import { takeStreamSlot } from '../../server/stream-slots.js'
import { parseOutgoing } from './frames.js'
import { releaseUpgrade } from './release-upgrade.js'

/** RFC 6455 close codes this server uses. */
export const CloseCode = {
  /** A text frame that is not `{"to","data"}` JSON. */
  InvalidPayload: 1007,
  /** The receiver stopped reading and its queue passed the slow-consumer limit. */
  PolicyViolation: 1008,
  /** A frame larger than the server accepts (sent by the ws library itself). */
  TooBig: 1009,
} as const

/** How long a client has to answer the server's close frame after an error before the socket is cut. */
const closeWaitMs = 1000

/**
 * GET /websocket/:user, upgraded: the server pushes each message's data as one text frame.
 * The same socket takes `{"to","data"}` text frames from a user who sends over it.
 */
export const websocketRoutes: FastifyPluginAsync<RouteOptions> = async (app, { hub, limits }) => {
  /** Open sockets, each with whether it answered the last ping. */
  const open = new Map<WebSocket, boolean>()
  // One timer for every socket: a socket that has not answered the last ping by the next is
  // half-open (the peer is gone unseen) and is cut, freeing its slot.
  const heartbeat = setInterval(() => {
    for (const [socket, answered] of open) {
      if (!answered) {
        hub.deadStreamsCut++
        socket.terminate()
        continue
      }
      open.set(socket, false)
      socket.ping()
    }
  }, limits.heartbeatMs)
  heartbeat.unref()
  app.addHook('onClose', (_app, done) => {
    clearInterval(heartbeat)
    done()
  })
  app.websocketServer.on('headers', (headers: string[]) => headers.push(`${heartbeatHeader}: ${limits.heartbeatMs}`))
  app.get<{ Params: UserParams; Querystring: CursorQuery }>(
    '/:user',
    {
      websocket: true,
      schema: { params: userParams, querystring: cursorQuery },
      preHandler: [sameInstance(hub), takeStreamSlot(hub.streams, (req) => req.query.after !== undefined)],
    },
    (socket, req) => {
      socket.on('message', (raw, isBinary) => relay(hub, socket, raw, isBinary))
      const box = hub.mailbox(req.params.user)
      const push = ({ data }: Entry): boolean => {
        if (socket.readyState !== WebSocket.OPEN) return false
        // Nothing more is queued once the limit is passed: the close frame (with its reason) is
        // the last thing sent, read whenever the client reads again; ws ends the socket if the
        // client never answers it.
        if (socket.bufferedAmount > limits.slowConsumerMaxBufferedBytes) {
          hub.slowConsumersCut++
          socket.close(CloseCode.PolicyViolation, 'slow consumer: too much unread data')
          return false
        }
        socket.send(data)
        return true
      }
      // Close comes once; `on` spares the wrapper `once` would keep for the socket's life.
      socket.on('close', box.follow(cursorOf(req.query.after), push))
      open.set(socket, true)
      socket.on('pong', () => open.set(socket, true))
      socket.on('close', () => open.delete(socket))
      // @fastify/websocket's error listener terminates the socket too, but holds the upgrade's
      // request and reply: replaced, so an idle connection costs only its socket.
      releaseUpgrade(socket, req.raw)
      // A client that vanishes mid-frame surfaces here; the close above still cleans up. After a
      // frame the server refuses (1009, 1002, 1007) ws has sent its close frame and goes on
      // reading: the socket ends when the client answers it, so the client reads the code,
      // instead of a reset that could destroy it unread. A client that never answers is cut.
      socket.on('error', () => {
        if (socket.readyState === WebSocket.CLOSED) return
        const timer = setTimeout(() => socket.terminate(), closeWaitMs)
        socket.on('close', () => clearTimeout(timer))
      })
    },
  )
}

function relay(hub: Hub, socket: WebSocket, raw: unknown, isBinary: boolean): void {
  const message = isBinary ? undefined : parseOutgoing(String(raw))
  if (message === undefined) {
    socket.close(CloseCode.InvalidPayload, 'expected a text frame of JSON {"to": user, "data": string} or {"room": room, "data": string}')
    return
  }
  publish(hub, message)
}

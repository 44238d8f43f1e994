import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EventEmitter } from 'node:events'
import type { UserParams } from '../protocol/schemas.js'

/**
 * Open SSE streams and WebSockets per user. Each one holds memory and a socket for as long as
 * it lasts, so one user opening many must be refused rather than served. A stream that resumes
 * (it carries a cursor) when every slot is held takes the slot of the user's oldest stream,
 * which is closed: a client that reconnects is usually replacing a connection that died without
 * the server seeing it, and refusing it would leave the user with dead streams only.
 */
/** What holds a slot: a socket, or over HTTP/2 the request (one stream of a shared connection). */
type SlotHolder = EventEmitter & { destroy(): unknown }

export class StreamSlots {
  private readonly open = new Map<string, SlotHolder[]>()
  /** Streams closed to make room for a resuming one. */
  superseded = 0

  constructor(readonly maxPerUser: number) {}

  /** Takes a slot for `user` until `socket` closes; false when the user has none left. */
  take(user: string, socket: SlotHolder, resuming = false): boolean {
    let held = this.open.get(user)
    if (held === undefined) this.open.set(user, (held = []))
    if (held.length >= this.maxPerUser) {
      if (!resuming) return false
      const oldest = held.shift()!
      this.superseded++
      oldest.destroy()
    }
    held.push(socket)
    // `on`, not `once`: close comes once, and a once-wrapper would live as long as the stream.
    socket.on('close', () => this.release(user, socket))
    return true
  }

  private release(user: string, socket: SlotHolder): void {
    const held = this.open.get(user)
    if (held === undefined) return
    const at = held.indexOf(socket)
    if (at !== -1) held.splice(at, 1)
    if (held.length === 0) this.open.delete(user)
  }
}

/**
 * A preHandler for a streaming route: answers 429 when the user already has every slot and
 * the request does not resume (`resuming` says whether it does), else holds one until the
 * connection closes. It runs before a WebSocket upgrade, so a refused upgrade is a plain HTTP answer.
 */
export function takeStreamSlot<R extends FastifyRequest<{ Params: UserParams }>>(
  slots: StreamSlots,
  resuming: (req: R) => boolean = () => false,
) {
  return async (req: R, reply: FastifyReply): Promise<void> => {
    // Over HTTP/2 a stream is one request of a shared connection: the slot is held until that request closes.
    if (slots.take(req.params.user, req.raw.httpVersionMajor >= 2 ? req.raw : req.raw.socket, resuming(req))) return
    await reply.code(429).send({ error: 'Too Many Requests', message: `at most ${slots.maxPerUser} open streams per user` })
  }
}

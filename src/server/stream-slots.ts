import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EventEmitter } from 'node:events'
import type { UserParams } from '../protocol/schemas.js'

/**
 * Open SSE streams and WebSockets per user. Each one holds memory and a socket for as long as
 * it lasts, so one user opening many must be refused rather than served.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>()

  constructor(readonly maxPerUser: number) {}

  /** Takes a slot for `user` until `holder` emits close; false when the user has none left. */
  take(user: string, holder: EventEmitter): boolean {
    const count = this.open.get(user) ?? 0
    if (count >= this.maxPerUser) return false
    this.open.set(user, count + 1)
    // `on`, not `once`: close comes once, and a once-wrapper would live as long as the stream.
    holder.on('close', () => this.release(user))
    return true
  }

  private release(user: string): void {
    const count = (this.open.get(user) ?? 1) - 1
    if (count <= 0) this.open.delete(user)
    else this.open.set(user, count)
  }
}

/**
 * A preHandler for a streaming route: answers 429 when the user already has every slot,
 * else holds one until the connection closes. It runs before a WebSocket upgrade, so a
 * refused upgrade is a plain HTTP answer.
 */
export function takeStreamSlot(slots: StreamSlots) {
  return async (req: FastifyRequest<{ Params: UserParams }>, reply: FastifyReply): Promise<void> => {
    // Over HTTP/2 a stream is one request of a shared connection: the slot is held until that request closes.
    if (slots.take(req.params.user, req.raw.httpVersionMajor >= 2 ? req.raw : req.raw.socket)) return
    await reply.code(429).send({ error: 'Too Many Requests', message: `at most ${slots.maxPerUser} open streams per user` })
  }
}

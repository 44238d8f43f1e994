import type { FastifyInstance } from 'fastify'
import type { Socket } from 'node:net'

/**
 * Caps open connections for all clients together. Node's own `maxConnections` drops the
 * socket without a word; here the connection is accepted, its first request is answered 503
 * with the reason, and it is closed.
 */
export function limitConnections(app: FastifyInstance, max: number, secure: boolean): void {
  let open = 0
  const over = new WeakSet<Socket>()
  // One listener shared by every socket, added with `on`: a socket closes once, and `once`
  // would allocate a wrapper per connection, for as long as it stays open.
  const closed = (): void => void open--
  // Over TLS, count the sockets that finished their handshake: those are what requests arrive on.
  app.server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    open++
    if (open > max) over.add(socket)
    socket.on('close', closed)
  })
  app.addHook('onRequest', async (req, reply) => {
    if (!over.has(req.raw.socket)) return
    await reply
      .code(503)
      .header('connection', 'close')
      .send({ error: 'Service Unavailable', message: `the server has its limit of ${max} open connections; try again later` })
  })
}

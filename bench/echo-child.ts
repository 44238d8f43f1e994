/**
 * A TCP echo server in a process of its own, standing in for the server under test in
 * bench:link-cost: it can be pinned to the server's core, and costs nothing but the echo.
 * It sends its port to the parent over IPC and exits when the parent goes away.
 */
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'

const server = createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => {})
  socket.pipe(socket)
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
process.send?.({ port: (server.address() as AddressInfo).port })
process.on('disconnect', () => process.exit(0))

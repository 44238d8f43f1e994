import { connect, createServer, type Socket } from 'node:net'
import type { Wire } from '../client/wire.js'

export interface CountingProxy {
  /** The proxy's origin (same scheme as the server's): the browser's pages load from it and reach the server through it. */
  origin: string
  close(): Promise<void>
}

/**
 * A TCP relay between the browser and the server that counts, on `wire`, each connection the
 * browser opens and every byte either way: request and response heads as the browser writes
 * them, TLS records, frames. It reads nothing, so it works for HTTP, WebSocket and TLS alike.
 */
export async function startCountingProxy(serverOrigin: string, wire: Wire): Promise<CountingProxy> {
  const target = new URL(serverOrigin)
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80)
  const sockets = new Set<Socket>()
  const server = createServer({ noDelay: true }, (browserSide) => {
    const serverSide = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port, noDelay: true })
    wire.track(serverSide)
    for (const socket of [browserSide, serverSide]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        browserSide.destroy()
        serverSide.destroy()
      })
    }
    browserSide.pipe(serverSide)
    serverSide.pipe(browserSide)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the counting proxy has no port')
  return {
    origin: `${target.protocol}//127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

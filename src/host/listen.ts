import type { FastifyInstance } from 'fastify'
import { errorCode, UserError } from '../errors.js'
import type { ServerLimits } from '../server/limits.js'
import type { ServerSecurity } from '../server/security.js'
import { buildServer } from './app.js'

export interface ListenOptions {
  host: string
  port: number
  limits?: ServerLimits
  security?: ServerSecurity
}

export interface RunningServer {
  app: FastifyInstance
  /** `http://host:port` (`https://` over TLS) as clients should reach it. */
  origin: string
  port: number
}

/** Builds the server and binds it; a busy or forbidden address becomes a one-line UserError. */
export async function startServer({ host, port, limits, security }: ListenOptions): Promise<RunningServer> {
  const app = await buildServer(limits, security)
  try {
    await app.listen({ host, port })
  } catch (err) {
    await app.close()
    throw listenError(err, host, port)
  }
  const address = app.server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  const shownHost = host.includes(':') ? `[${host}]` : host
  const scheme = security?.tls ? 'https' : 'http'
  return { app, origin: `${scheme}://${shownHost}:${bound}`, port: bound }
}

function listenError(err: unknown, host: string, port: number): unknown {
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return new UserError(`--port ${port}: ${host}:${port} is already in use; choose another port or stop what holds it`)
    case 'EACCES':
      return new UserError(`--port ${port}: not allowed to listen on ${host}:${port}; use a port above 1023`)
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UserError(`--host ${host}: no such address on this machine; use 127.0.0.1 or ::1`)
    default:
      return err
  }
}

/**
 * Closes the server: SSE streams and parked polls are ended, WebSockets closed with 1001, and
 * whatever is still open after `ms` is cut, so a stopping server never waits on its clients.
 */
export async function stopWithin(app: FastifyInstance, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      app.server.closeAllConnections()
      resolve()
    }, ms)
  })
  await Promise.race([app.close(), cut])
  clearTimeout(timer)
}

/**
 * Entry point of the embedded server: the runner starts it as a process of its own, so the
 * CPU and memory it reports are the server's alone. The runner sends it what to start with
 * over IPC (the certificate and key never touch the disk or the environment); it answers
 * with its port and exits when told to, or when the runner goes away.
 */
import { once } from 'node:events'
import { messageOf } from '../errors.js'
import type { ServerLimits } from './limits.js'
import { startServer } from './listen.js'
import type { ServerSecurity } from './security.js'

export interface ChildStart {
  type: 'start'
  host: string
  port: number
  security: ServerSecurity
  limits?: ServerLimits
}
export interface ChildReady {
  type: 'listening'
  port: number
}
export interface ChildFailed {
  type: 'failed'
  message: string
}

async function main(): Promise<void> {
  const [start] = (await once(process, 'message')) as [ChildStart]
  const server = await startServer({ host: start.host, port: start.port, security: start.security, ...(start.limits ? { limits: start.limits } : {}) })
  const stop = (): void => {
    void server.app.close().finally(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('disconnect', stop)
  process.send?.({ type: 'listening', port: server.port } satisfies ChildReady)
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', message: messageOf(err) } satisfies ChildFailed)
  process.exit(1)
})

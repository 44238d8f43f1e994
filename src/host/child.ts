/**
 * Entry point of the embedded server: the runner starts it as a process of its own, so the
 * CPU and memory it reports are the server's alone. The runner sends it what to start with
 * over IPC (the certificate and key never touch the disk or the environment); it answers
 * with its port and exits when told to, or when the runner goes away.
 */
import { once } from 'node:events'
import { messageOf } from '../errors.js'
import type { ServerLimits } from '../server/limits.js'
import type { ServerSecurity } from '../server/security.js'
import { startServer, stopWithin } from './listen.js'

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
/**
 * Asks for the process's memory breakdown, after a full garbage collection when `collect` is
 * set and the child was started with --expose-gc (only a measuring tool asks for that: a run
 * never does, so its server is left as it would be in production).
 */
export interface ChildMemoryQuery {
  type: 'memory'
  collect: boolean
}
export interface ChildMemory {
  type: 'memory'
  /** Whether a full collection ran before the figures were read. */
  collected: boolean
  usage: NodeJS.MemoryUsage
}

async function main(): Promise<void> {
  const [start] = (await once(process, 'message')) as [ChildStart]
  const server = await startServer({
    host: start.host,
    port: start.port,
    security: start.security,
    ...(start.limits ? { limits: start.limits } : {}),
  })
  const stop = (): void => {
    void stopWithin(server.app, 900).finally(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('disconnect', stop)
  process.on('message', (query: ChildMemoryQuery) => {
    if (query.type === 'memory') process.send?.(memoryNow(query.collect) satisfies ChildMemory)
  })
  process.send?.({ type: 'listening', port: server.port } satisfies ChildReady)
}

function memoryNow(collect: boolean): ChildMemory {
  // global.gc exists only under --expose-gc.
  const gc = (globalThis as { gc?: () => void }).gc
  if (collect && gc !== undefined) gc()
  return { type: 'memory', collected: collect && gc !== undefined, usage: process.memoryUsage() }
}

main().catch((err: unknown) => {
  process.send?.({ type: 'failed', message: messageOf(err) } satisfies ChildFailed)
  process.exit(1)
})

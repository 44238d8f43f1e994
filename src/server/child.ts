/**
 * Entry point of the embedded server: the runner starts it as a process of its own, so the
 * CPU and memory it reports are the server's alone. It tells the runner its port over IPC
 * and exits when told to, or when the runner goes away.
 */
import { messageOf } from '../errors.js'
import { startServer } from './listen.js'

export interface ChildReady {
  type: 'listening'
  port: number
}
export interface ChildFailed {
  type: 'failed'
  message: string
}

async function main(): Promise<void> {
  const host = process.argv[2] ?? '127.0.0.1'
  const port = Number(process.argv[3] ?? '0')
  const server = await startServer({ host, port })
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

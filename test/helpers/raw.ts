import { connect, type Socket } from 'node:net'

export interface RawOutcome {
  /** Everything the server sent back, as latin1 text. */
  text: string
  /** Whether the server closed the connection within the wait. */
  closed: boolean
  elapsedMs: number
}

/** Opens a TCP connection to 127.0.0.1:`port` and resolves once it is connected. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

/**
 * Sends `bytes` on a fresh TCP connection and collects what comes back until the server
 * closes it or `waitMs` passes, whichever is first. Never throws: a reset is an answer too.
 */
export async function rawExchange(port: number, bytes: string | Buffer, waitMs = 2000): Promise<RawOutcome> {
  const started = Date.now()
  const socket = await rawConnect(port)
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => {})
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
    if (bytes.length > 0) socket.write(bytes)
  })
  socket.destroy()
  return { text: Buffer.concat(chunks).toString('latin1'), closed, elapsedMs: Date.now() - started }
}
